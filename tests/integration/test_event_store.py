"""The event store's contract, run on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from eventstore import ConcurrencyConflict, EventIdReused, EventStore, FeedCursor, NewEvent
from eventstore.codec import EventCodec


def event(n: int, **data) -> NewEvent:
    return NewEvent(type="GoalSet", data={"n": n, **data}, metadata={"organisation_id": "org-1"})


def count_rows(store: EventStore) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()


def test_append_then_read_stream_in_version_order(store):
    stored = store.append("client-1", [event(1), event(2)], expected_version=0)
    store.append("client-1", [event(3)], expected_version=2)
    store.append("client-2", [event(9)], expected_version=0)

    read = store.read_stream("client-1")

    assert [e.stream_version for e in read] == [1, 2, 3]
    assert [e.data["n"] for e in read] == [1, 2, 3]
    assert read[:2] == stored
    assert read[0].metadata == {"organisation_id": "org-1"}
    assert read[0].recorded_at.tzinfo is not None
    assert store.stream_version("client-1") == 3
    assert store.stream_version("nobody") == 0


def test_streams_read_together_are_each_stream_as_read_alone(store):
    store.append("client-1", [event(1, note={"nested": [1, "two"]}), event(2)], expected_version=0)
    store.append("client-2", [event(9, text="é ✓")], expected_version=0)
    store.append("client-3", [event(5)], expected_version=0)

    read = store.read_streams(["client-2", "nobody", "client-1"])

    assert read == {
        "client-1": store.read_stream("client-1"),
        "client-2": store.read_stream("client-2"),
        "nobody": [],
    }
    assert read["client-1"][0].data["note"] == {"nested": [1, "two"]}


def test_stale_expected_version_is_a_conflict_and_writes_nothing(store):
    store.append("client-1", [event(1), event(2)], expected_version=0)

    with pytest.raises(ConcurrencyConflict) as raised:
        store.append("client-1", [event(3), event(4)], expected_version=1)

    assert (raised.value.expected_version, raised.value.actual_version) == (1, 2)
    assert count_rows(store) == 2


def test_expected_version_ahead_of_the_stream_is_a_conflict_not_a_gap(store):
    store.append("client-1", [event(1)], expected_version=0)

    with pytest.raises(ConcurrencyConflict):
        store.append("client-1", [event(2)], expected_version=5)

    assert [e.stream_version for e in store.read_stream("client-1")] == [1]


def test_retried_append_returns_what_was_stored_without_duplicating(store):
    batch = [event(1), event(2)]
    first = store.append("client-1", batch, expected_version=0)

    retried = store.append("client-1", batch, expected_version=0)

    assert retried == first
    assert count_rows(store) == 2


def test_retry_after_the_stream_moved_on_still_returns_the_stored_events(store):
    batch = [event(1)]
    first = store.append("client-1", batch, expected_version=0)
    store.append("client-1", [event(2)], expected_version=1)

    assert store.append("client-1", batch, expected_version=0) == first
    assert count_rows(store) == 2


def test_reused_event_id_with_other_content_is_refused_not_reported_stored(store):
    original = event(1)
    store.append("client-1", [original], expected_version=0)
    impostor = NewEvent(type="GoalSet", data={"n": 666}, event_id=original.event_id)

    with pytest.raises(EventIdReused):
        store.append("client-1", [impostor], expected_version=0)
    with pytest.raises(EventIdReused):
        store.append("client-2", [NewEvent("GoalSet", {"n": 1}, event_id=original.event_id)], 0)

    assert [e.data["n"] for e in store.read_stream("client-1")] == [1]
    assert count_rows(store) == 1


def test_a_batch_is_atomic(store):
    stored = store.append("client-1", [event(1)], expected_version=0)
    reused = NewEvent("GoalSet", {"n": 1}, event_id=stored[0].event_id)

    with pytest.raises(EventIdReused):
        store.append("client-2", [event(2), reused, event(3)], expected_version=0)

    assert store.read_stream("client-2") == []


def test_read_stream_up_to_a_version_or_a_recorded_time(store):
    store.append("client-1", [event(1), event(2), event(3)], expected_version=0)
    recorded = store.read_stream("client-1")[-1].recorded_at

    assert [e.data["n"] for e in store.read_stream("client-1", up_to_version=2)] == [1, 2]
    assert store.read_stream("client-1", as_of=datetime(2000, 1, 1, tzinfo=timezone.utc)) == []
    assert len(store.read_stream("client-1", as_of=recorded)) == 3


def test_global_feed_in_order_from_a_cursor(store):
    for n in range(5):
        store.append(f"client-{n % 2}", [event(n)], expected_version=n // 2)

    first = store.read_all(limit=2)
    rest = store.read_all(after=first[-1].cursor)

    assert [e.data["n"] for e in first + rest] == [0, 1, 2, 3, 4]
    assert store.read_all(after=rest[-1].cursor) == []
    assert store.count_after(FeedCursor.START) == 5
    assert store.count_after(first[-1].cursor) == 3
    assert FeedCursor.parse(str(rest[-1].cursor)) == rest[-1].cursor


@pytest.mark.parametrize("statement", ["UPDATE events SET type = 'Forged'", "DELETE FROM events"])
def test_the_database_refuses_to_change_or_delete_events(store, statement):
    store.append("client-1", [event(1)], expected_version=0)

    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(sa.text(statement))

    assert [e.type for e in store.read_stream("client-1")] == ["GoalSet"]


def test_old_schema_versions_are_upcast_on_read(engine):
    def upcast(type_, version, data):
        if type_ == "GoalSet" and version == 1:
            return 2, {**data, "confidence": 5}
        return version, data

    EventStore(engine).append("client-1", [event(1)], expected_version=0)

    (read,) = EventStore(engine, EventCodec(upcast)).read_stream("client-1")

    assert (read.schema_version, read.data) == (2, {"n": 1, "confidence": 5})


def test_event_ids_are_uuids_and_unique_per_event(store):
    stored = store.append("client-1", [event(1), event(2)], expected_version=0)
    assert all(isinstance(e.event_id, uuid.UUID) for e in stored)
    assert len({e.event_id for e in stored}) == 2


def test_append_listeners_hear_new_events_only_and_cannot_fail_an_append(store):
    heard = []
    store.on_append(lambda stored: heard.append([e.type for e in stored]))
    store.on_append(lambda stored: 1 / 0)  # logged, not raised: the events are committed
    first = [event(1), event(2)]

    store.append("client-1", first, expected_version=0)
    store.append("client-1", first, expected_version=0)  # a retry stores nothing new
    store.append("client-1", [event(3)], expected_version=2)

    assert heard == [["GoalSet", "GoalSet"], ["GoalSet"]]
    assert store.stream_version("client-1") == 3
