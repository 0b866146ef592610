"""What only PostgreSQL can show: real concurrency and out-of-order commits."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from eventstore import ConcurrencyConflict, EventStore, FeedCursor, NewEvent

pytestmark = pytest.mark.postgres

INSERT = sa.text(
    "INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, hash) "
    "VALUES (:stream, 1, gen_random_uuid(), 'GoalSet', 1, :data, '{}', sha256(gen_random_uuid()::text::bytea))"
)


def follow(store: EventStore, cursor: FeedCursor) -> tuple[list, FeedCursor]:
    seen = store.read_all(after=cursor)
    return seen, (seen[-1].cursor if seen else cursor)


def test_sixteen_writers_on_one_stream_never_lose_or_duplicate(pg_store):
    winners, losers, barrier = [], [], threading.Barrier(16)

    def writer() -> None:
        barrier.wait()
        for _ in range(10):
            version = pg_store.stream_version("client-1")
            attempt = NewEvent("CheckInRecorded", {"seen": version})
            try:
                pg_store.append("client-1", [attempt], expected_version=version)
                winners.append(attempt.event_id)
            except ConcurrencyConflict:
                losers.append(attempt.event_id)

    threads = [threading.Thread(target=writer) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    stream = pg_store.read_stream("client-1")
    assert [e.stream_version for e in stream] == list(range(1, len(stream) + 1))
    assert sorted(e.event_id for e in stream) == sorted(winners)
    assert not {e.event_id for e in stream} & set(losers)
    assert len(winners) + len(losers) == 160 and losers
    # each winner saw the version just before its own
    assert all(e.data["seen"] == e.stream_version - 1 for e in stream)


def test_follower_sees_a_late_commit_of_an_earlier_position_exactly_once(pg_store):
    engine = pg_store.engine
    cursor, seen = FeedCursor.START, []
    with engine.connect() as slow:
        slow.execute(
            INSERT, {"stream": "slow", "data": '{"n": "slow"}'}
        )  # takes the lower position
        pg_store.append("fast", [NewEvent("GoalSet", {"n": "fast"})], expected_version=0)

        batch, cursor = follow(pg_store, cursor)
        seen += batch  # the fast event is committed, but a slower transaction is still open
        slow.commit()

    for _ in range(3):
        batch, cursor = follow(pg_store, cursor)
        seen += batch

    assert sorted(e.data["n"] for e in seen) == ["fast", "slow"]
    positions = {e.data["n"]: e.position for e in seen}
    assert positions["slow"] < positions["fast"]


def test_follower_handles_transaction_order_differing_from_position_order(pg_store):
    engine = pg_store.engine
    cursor, seen = FeedCursor.START, []
    with engine.connect() as early, engine.connect() as late:
        early.execute(sa.text("SELECT pg_current_xact_id()"))  # older transaction id...
        late.execute(sa.text("SELECT pg_current_xact_id()"))
        late.execute(INSERT, {"stream": "late", "data": '{"n": "late"}'})
        early.execute(INSERT, {"stream": "early", "data": '{"n": "early"}'})  # ...higher position
        early.commit()
        batch, cursor = follow(pg_store, cursor)
        seen += batch
        late.commit()
    for _ in range(3):
        batch, cursor = follow(pg_store, cursor)
        seen += batch

    assert sorted(e.data["n"] for e in seen) == ["early", "late"]


def test_follower_under_concurrent_writers_sees_every_event_once(pg_store):
    stop, seen = threading.Event(), []

    def writer(n: int) -> None:
        for version in range(40):
            pg_store.append(f"client-{n}", [NewEvent("GoalSet", {"v": version})], version)

    def follower() -> None:
        cursor = FeedCursor.START
        while not stop.is_set() or pg_store.count_after(cursor):
            batch, cursor = follow(pg_store, cursor)
            seen.extend(e.event_id for e in batch)
            time.sleep(0.001)

    reader = threading.Thread(target=follower)
    reader.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    reader.join(timeout=30)

    assert len(seen) == len(set(seen)) == 8 * 40


def test_truncate_is_refused(pg_store):
    pg_store.append("client-1", [NewEvent("GoalSet", {})], expected_version=0)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with pg_store.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE events"))


def test_a_command_on_a_dropped_connection_fails_as_sqlalchemy_says_and_the_next_reconnects(
    pg_store,
):
    pg_store.append("client-1", [NewEvent("GoalSet", {})], expected_version=0)
    with pg_store.reader.connect() as conn:
        backend = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with pg_store.engine.connect() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})

    with pytest.raises(sa.exc.OperationalError) as dropped:
        pg_store.read_stream("client-1")  # the pooled connection the read takes is the dead one
    assert dropped.value.connection_invalidated
    assert [e.stream_version for e in pg_store.read_stream("client-1")] == [1]


def test_a_stale_append_is_a_conflict_and_stores_nothing(pg_store):
    pg_store.append("client-1", [NewEvent("GoalSet", {})], expected_version=0)
    with pytest.raises(ConcurrencyConflict):
        pg_store.append("client-1", [NewEvent("GoalSet", {"late": True})], expected_version=0)
    assert [e.data for e in pg_store.read_stream("client-1")] == [{}]
