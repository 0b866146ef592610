"""The organisation's export: read a chunk at a time as it is sent, and resumable after any line exactly."""

from __future__ import annotations

import time

import pytest

from eventstore import EventStore, NewEvent
from services.event_feed import CursorBeyondHead, OrganisationFeed


class CountingStore(EventStore):
    """The real store, counting the feed reads an export makes."""

    reads = 0

    def read_all_tagged(self, *args, **kwargs):
        self.reads += 1
        return super().read_all_tagged(*args, **kwargs)


@pytest.fixture
def store(engine) -> CountingStore:
    store = CountingStore(engine)
    for n in range(12):  # 12 clients of org-a with 25 events each, org-b's between them
        for org in ("org-a", "org-b"):
            events = [
                NewEvent("GoalSet", {"n": i}, metadata={"organisation_id": org}) for i in range(25)
            ]
            store.append(f"client-{org}-{n}", events, expected_version=0)
    deadline = (
        time.monotonic() + 30
    )  # PostgreSQL's horizon is cluster-wide: let other sessions' transactions end
    while store.count_after() < 600 and time.monotonic() < deadline:
        time.sleep(0.01)
    return store


def test_the_export_yields_before_it_has_read_everything(store):
    lines = OrganisationFeed(store).export("org-a", None, chunk=50)
    first = next(lines)
    assert first.record["client_id"] == "org-a-0" and store.reads == 1
    rest = list(lines)
    assert store.reads >= 300 / 50 and len(rest) == 300  # 299 events more, and the end
    head = store.head()  # the end carries where the scan stopped: org-b's last event, the head
    assert rest[-1].record is None and rest[-1].position == (head.tx_id, head.position)


def test_an_export_cut_after_any_line_resumes_exactly_after_it(store):
    feed = OrganisationFeed(store)
    whole = list(feed.export("org-a", None, chunk=40))
    events = [line.record["event_id"] for line in whole[:-1]]
    assert len(events) == len(set(events)) == 300
    for cut in (1, 39, 40, 41, 150, 299, 300):
        rest = list(feed.export("org-a", whole[cut - 1].position, chunk=40))
        assert [line.record["event_id"] for line in rest[:-1]] == events[cut:]
        assert rest[-1].record is None


def test_the_export_stops_at_the_head_it_started_from(store):
    lines = OrganisationFeed(store).export("org-a", None, chunk=100)
    next(lines)
    store.append("client-late", [NewEvent("GoalSet", {}, metadata={"organisation_id": "org-a"})], 0)
    assert len(list(lines)) == 300  # 299 more events and the end: not the late one


def test_a_cursor_beyond_the_head_is_refused_before_any_line(store):
    head = store.head()
    with pytest.raises(CursorBeyondHead):
        OrganisationFeed(store).export("org-a", (head.tx_id + 1, head.position + 1))
