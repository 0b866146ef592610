"""The feed narrowed to some event types: a projection sees exactly its types, once, and its checkpoint reaches the head."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
import sqlalchemy as sa

from eventstore import EventStore, FeedCursor, NewEvent, StoredEvent
from projections.runner import ProjectionRunner

WANTED = frozenset({"GoalSet", "GoalAchieved"})


class Recorder:
    """A projection of two event types that remembers what it was handed, batch by batch."""

    name = "recorder"
    rebuildable = False
    read_model = False
    event_types = WANTED

    def __init__(self) -> None:
        self.seen: list[StoredEvent] = []

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        self.seen.extend(events)

    def clear(self, conn: sa.Connection) -> None:
        raise NotImplementedError


def append(store: EventStore, stream: str, *types: str) -> None:
    version = store.stream_version(stream)
    new = [NewEvent(t, {"n": version + i}) for i, t in enumerate(types, start=1)]
    store.append(stream, new, expected_version=version)


def readable(store: EventStore, count: int, seconds: float = 30) -> None:
    """Wait until `count` events are readable (PostgreSQL's horizon is cluster-wide: other test
    sessions' open transactions may hold it back a moment)."""
    deadline = time.monotonic() + seconds
    while store.count_after() < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_projection_of_some_types_sees_exactly_those_and_reaches_the_head(store, engine):
    for n in range(5):
        append(store, f"client-{n}", "GoalSet", "CheckInRecorded", "CheckInRecorded")
        append(store, f"client-{n}", *["MilestoneAdded"] * 7, "GoalAchieved")
    readable(store, 55)
    recorder = Recorder()
    runner = ProjectionRunner(engine, store, [recorder], batch_size=3, scan=4)

    assert runner.catch_up() == 55  # every event passed, in batches of at most 4

    everything = store.read_all(limit=100)
    assert [e.event_id for e in recorder.seen] == [
        e.event_id for e in everything if e.type in WANTED
    ]
    assert runner.checkpoint("recorder") == store.head() == everything[-1].cursor
    assert runner.lag() == {"recorder": 0}
    assert runner.catch_up() == 0 and len(recorder.seen) == 10


def test_a_page_ends_on_its_last_match_or_on_the_last_event_scanned(store):
    append(store, "client-a", "GoalSet", "GoalSet", "CheckInRecorded", "GoalSet")
    append(store, "client-b", *["CheckInRecorded"] * 6)
    readable(store, 10)
    feed = store.read_all(limit=100)

    full = store.read_all_of_types(WANTED, FeedCursor.START, 2)
    assert [e.position for e in full.events] == [feed[0].position, feed[1].position]
    assert full.cursor == feed[1].cursor and full.passed == 2 and not full.reached_end

    short = store.read_all_of_types(WANTED, full.cursor, 2, scan=5)
    assert [e.position for e in short.events] == [feed[3].position]
    assert short.cursor == feed[6].cursor and short.passed == 5 and not short.reached_end

    last = store.read_all_of_types(WANTED, short.cursor, 2, scan=5)
    assert last.events == [] and last.cursor == store.head() and last.passed == 3
    assert last.reached_end

    again = store.read_all_of_types(WANTED, last.cursor, 2)
    assert again == type(again)([], last.cursor, 0, True)  # polling at the head


@pytest.mark.postgres
def test_a_late_commit_of_a_wanted_type_is_neither_skipped_nor_passed(pg_store):
    insert = sa.text(
        "INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, hash) "
        "VALUES ('client-slow', 1, gen_random_uuid(), 'GoalSet', 1, '{}', '{}', "
        "sha256(gen_random_uuid()::text::bytea))"
    )
    recorder = Recorder()
    runner = ProjectionRunner(pg_store.engine, pg_store, [recorder], batch_size=2, scan=2)
    with pg_store.engine.connect() as slow:
        slow.execute(insert)  # the lower position, and an older transaction still open
        append(pg_store, "client-fast", "CheckInRecorded", "GoalSet", "CheckInRecorded")
        runner.catch_up()
        assert recorder.seen == [] and runner.checkpoint("recorder") == FeedCursor.START
        slow.commit()
    deadline = time.monotonic() + 60
    while len(recorder.seen) < 2 and time.monotonic() < deadline:
        runner.catch_up()
        time.sleep(0.01)
    assert sorted(e.stream_id for e in recorder.seen) == ["client-fast", "client-slow"]
    assert runner.checkpoint("recorder") == pg_store.head()


@pytest.mark.postgres
def test_eight_writers_and_a_follower_of_two_types(pg_store):
    recorder, done = Recorder(), threading.Event()
    runner = ProjectionRunner(pg_store.engine, pg_store, [recorder], batch_size=5, scan=7)

    def writer(n: int) -> None:
        for _ in range(15):
            append(
                pg_store, f"client-{n}", "CheckInRecorded", "GoalSet" if n % 2 else "GoalAchieved"
            )

    def follower() -> None:
        while not done.is_set():
            runner.catch_up()
            time.sleep(0.001)

    following = threading.Thread(target=follower)
    following.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    readable(pg_store, 8 * 15 * 2, seconds=60)
    done.set()
    following.join(timeout=60)
    runner.catch_up()

    everything = pg_store.read_all(limit=10_000)
    seen = [e.event_id for e in recorder.seen]
    assert len(seen) == len(set(seen)) == 8 * 15
    assert seen == [e.event_id for e in everything if e.type in WANTED]
    assert runner.checkpoint("recorder") == pg_store.head() == everything[-1].cursor
