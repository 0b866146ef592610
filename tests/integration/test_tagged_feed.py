"""The feed narrowed to one organisation: only its events, bounded scans, and a cursor never past the head."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from eventstore import EventStore, FeedCursor, NewEvent

ORG = "organisation_id"


def append(store: EventStore, stream: str, org: str, count: int = 1) -> None:
    version = store.stream_version(stream)
    events = [NewEvent("GoalSet", {"n": version + i}, metadata={ORG: org}) for i in range(count)]
    store.append(stream, events, expected_version=version)


def readable(store: EventStore, count: int, seconds: float = 30) -> None:
    """Wait until `count` events are readable: PostgreSQL's horizon is cluster-wide, and other test
    sessions' open transactions may hold it back a moment."""
    deadline = time.monotonic() + seconds
    while store.count_after() < count and time.monotonic() < deadline:
        time.sleep(0.01)


def follow(store: EventStore, org: str, cursor=FeedCursor.START, limit=3, scan=2000):
    """Every page up to the end of the feed: the events seen and the pages' cursors."""
    seen, cursors = [], []
    while True:
        page = store.read_all_tagged(ORG, org, cursor, limit, scan=scan)
        seen += page.events
        assert page.cursor >= cursor
        cursor = page.cursor
        cursors.append(cursor)
        if page.reached_end:
            return seen, cursors


def follow_until(store: EventStore, org: str, count: int, seconds: float = 60) -> list:
    """Follow until `count` events were seen (PostgreSQL's horizon is cluster-wide: other sessions' open
    transactions may hold events back a while), or the time is up."""
    deadline, cursor, seen = time.monotonic() + seconds, FeedCursor.START, []
    while len(seen) < count and time.monotonic() < deadline:
        page = store.read_all_tagged(ORG, org, cursor, 4, scan=7)
        seen += page.events
        cursor = page.cursor
        if page.reached_end:
            time.sleep(0.01)
    return seen


def test_an_organisation_reads_only_its_own_events_in_feed_order(store):
    for n in range(4):
        append(store, f"client-a{n}", "org-a", 2)
        append(store, f"client-b{n}", "org-b", 3)
    readable(store, 20)
    seen, cursors = follow(store, "org-a")
    assert [e.stream_id for e in seen] == [f"client-a{n}" for n in range(4) for _ in range(2)]
    assert [e.cursor for e in seen] == sorted(e.cursor for e in seen)
    assert cursors[-1] == store.head()  # the last page ends on the last event scanned, org-b's
    assert follow(store, "org-c")[0] == []


def test_a_scan_is_bounded_and_an_empty_page_still_moves_on(store):
    append(store, "client-b", "org-b", 10)
    append(store, "client-a", "org-a", 1)
    readable(store, 11)
    first = store.read_all_tagged(ORG, "org-a", FeedCursor.START, 5, scan=4)
    assert first.events == [] and not first.reached_end
    assert first.cursor == store.read_all(limit=4)[-1].cursor
    seen, cursors = follow(store, "org-a", first.cursor, scan=4)
    assert [e.stream_id for e in seen] == ["client-a"] and cursors[-1] == store.head()


def test_a_full_page_ends_on_its_last_event(store):
    append(store, "client-a", "org-a", 3)
    append(store, "client-b", "org-b", 1)
    readable(store, 4)
    page = store.read_all_tagged(ORG, "org-a", FeedCursor.START, 3)
    assert page.cursor == page.events[-1].cursor and not page.reached_end
    at_head = store.read_all_tagged(ORG, "org-a", page.cursor, 3)
    assert at_head.events == [] and at_head.reached_end and at_head.cursor == store.head()
    again = store.read_all_tagged(ORG, "org-a", at_head.cursor, 3)
    assert again.events == [] and again.cursor == at_head.cursor  # polling at the head


def test_up_to_bounds_the_read(store):
    append(store, "client-a", "org-a", 2)
    readable(store, 2)
    head = store.head()
    append(store, "client-a", "org-a", 2)
    readable(store, 4)
    page = store.read_all_tagged(ORG, "org-a", FeedCursor.START, 10, up_to=head)
    assert len(page.events) == 2 and page.reached_end and page.cursor == head


@pytest.mark.postgres
def test_a_late_commit_is_neither_skipped_nor_passed(pg_store):
    insert = sa.text(
        "INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, hash) "
        "VALUES ('client-slow', 1, gen_random_uuid(), 'GoalSet', 1, '{}', "
        '\'{"organisation_id": "org-a"}\', sha256(gen_random_uuid()::text::bytea))'
    )
    with pg_store.engine.connect() as slow:
        slow.execute(insert)  # the lower position, and an older transaction still open
        append(pg_store, "client-fast", "org-a")
        append(pg_store, "client-other", "org-b")
        page = pg_store.read_all_tagged(ORG, "org-a", FeedCursor.START, 10)
        assert page.events == [] and page.cursor == FeedCursor.START  # nothing is final yet
        slow.commit()
    seen = follow_until(pg_store, "org-a", 2)
    assert sorted(e.stream_id for e in seen) == ["client-fast", "client-slow"]


@pytest.mark.postgres
def test_eight_writers_and_a_follower_of_one_organisation(pg_store):
    seen = []

    def writer(n: int) -> None:
        for _ in range(30):
            append(pg_store, f"client-{n}", "org-a" if n % 2 else "org-b")

    def follower() -> None:
        seen.extend(e.event_id for e in follow_until(pg_store, "org-a", 4 * 30))

    reader = threading.Thread(target=follower)
    reader.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    reader.join(timeout=90)

    everything = [e for e in pg_store.read_all(limit=10_000) if e.metadata[ORG] == "org-a"]
    assert len(seen) == len(set(seen)) == 4 * 30
    assert seen == [e.event_id for e in everything]
