"""Tamper evidence: every stream is a hash chain, and a row altered behind the store's back is found."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tampering import as_database_owner

from eventstore import ConcurrencyConflict, EventStore, NewEvent
from eventstore.chain import row_hash
from eventstore.engine import make_engine
from eventstore.migrate import upgrade
from eventstore.schema import events


def event(n: int, **data) -> NewEvent:
    return NewEvent(type="GoalSet", data={"n": n, **data}, metadata={"organisation_id": "org-1"})


def three_streams(store: EventStore) -> None:
    for stream in ("client-a", "client-b", "client-c"):
        store.append(stream, [event(1), event(2)], expected_version=0)
        store.append(stream, [event(3)], expected_version=2)
        store.append(stream, [event(4, note="last")], expected_version=3)


def test_each_event_is_chained_to_its_predecessor(store):
    three_streams(store)

    read = store.read_stream("client-a")

    assert read[0].prev_hash is None
    assert [e.prev_hash for e in read[1:]] == [e.hash for e in read[:-1]]
    assert len({e.hash for e in read}) == 4
    report = store.verify()
    assert report.intact and report.events_checked == 12 and report.streams_checked == 3


def test_an_append_naming_another_predecessor_hash_is_a_conflict_and_writes_nothing(store):
    store.append("client-a", [event(1)], expected_version=0)

    with pytest.raises(ConcurrencyConflict):
        store.append("client-a", [event(2)], expected_version=1, previous_hash=b"\x00" * 32)

    assert store.stream_version("client-a") == 1
    assert store.verify().intact


def test_altered_data_is_reported_at_the_altered_event(store):
    three_streams(store)
    with as_database_owner(store.engine) as conn:
        conn.execute(
            sa.text(
                "UPDATE events SET data = :data WHERE stream_id = 'client-b' AND stream_version = 3"
            ).bindparams(sa.bindparam("data", {"n": 33}, type_=store_json(store)))
        )

    report = store.verify()

    assert not report.intact
    (broken,) = report.broken
    assert (broken.stream_id, broken.stream_version) == ("client-b", 3)
    assert "altered" in broken.problem
    assert report.events_checked == 12


def test_an_event_rehashed_after_alteration_breaks_the_next_link(store):
    three_streams(store)
    with as_database_owner(store.engine) as conn:
        row = conn.execute(
            sa.select(events).where(events.c.stream_id == "client-c", events.c.stream_version == 2)
        ).one()
        forged = SimpleNamespace(**{**row._mapping, "data": {"n": 22}})
        conn.execute(
            sa.text(
                "UPDATE events SET data = :data, hash = :hash WHERE position = :position"
            ).bindparams(sa.bindparam("data", type_=store_json(store))),
            {"data": forged.data, "hash": row_hash(forged), "position": row.position},
        )

    (broken,) = store.verify().broken

    assert (broken.stream_id, broken.stream_version) == ("client-c", 3)
    assert "prev_hash" in broken.problem


def test_a_removed_event_is_reported(store):
    three_streams(store)
    with as_database_owner(store.engine) as conn:
        conn.execute(
            sa.text("DELETE FROM events WHERE stream_id = 'client-a' AND stream_version = 2")
        )

    (broken,) = store.verify(["client-a"]).broken

    assert broken.stream_version == 3 and "follows version 1" in broken.problem


def test_a_stream_whose_first_event_was_removed_is_still_checked(store):
    three_streams(store)
    with as_database_owner(store.engine) as conn:
        conn.execute(
            sa.text("DELETE FROM events WHERE stream_id = 'client-b' AND stream_version = 1")
        )

    (broken,) = store.verify(streams_per_query=1).broken

    assert (broken.stream_id, broken.stream_version) == ("client-b", 2)
    assert store.verify(tagged=("organisation_id", "org-1")).broken == [broken]
    assert store.verify(tagged=("organisation_id", "org-2")).streams_checked == 0


def test_verify_can_check_chosen_streams_only(store):
    three_streams(store)

    report = store.verify(["client-a", "client-c", "nobody"])

    assert report.intact and report.streams_checked == 2 and report.events_checked == 8
    assert store.verify([]).events_checked == 0


def store_json(store: EventStore):
    from eventstore.schema import JsonDocument

    return JsonDocument


numbers = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
)
# jsonb refuses NUL characters in text (so does the API); any other text and number is fair.
texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


@pytest.mark.postgres
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.dictionaries(texts, json_values, max_size=4))
@example(data={"a": -0.0, "b": 1e20, "c": 5e-324, "d": 1.7976931348623157e308, "e": 3, "f": 0.1})
def test_any_json_data_verifies_after_its_round_trip_through_jsonb(postgres_engine, data):
    """jsonb rewrites numbers (1e+20 comes back as an integer); the hash must not depend on that."""
    store = EventStore(postgres_engine)
    stream = f"s-{uuid.uuid4()}"
    store.append(
        stream, [NewEvent(type="Any", data=data), NewEvent(type="Any", data={"x": data})], 0
    )

    assert store.verify([stream]).intact


def test_events_stored_before_the_chain_existed_are_chained_by_the_migration(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0004")
    with engine.begin() as conn:
        for version in (1, 2, 3):
            conn.execute(
                sa.text(
                    "INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata) "
                    "VALUES ('client-old', :v, :id, 'GoalSet', 1, :data, '{}')"
                ),
                {"v": version, "id": uuid.uuid4().hex, "data": f'{{"n": {version}.5}}'},
            )

    upgrade(engine)
    store = EventStore(engine)
    store.append("client-old", [event(4)], expected_version=3)

    report = store.verify()
    assert report.intact and report.events_checked == 4
    assert store.read_stream("client-old")[0].hash
    engine.dispose()
