"""bench.scale's loader stores what the store itself would: chains that verify, plans that replay.

Without this the scale bench could measure rows the service would refuse or
misread (a broken chain, a seal under the wrong key, an invalid plan).
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from bench import population
from bench.history import BENCH_MASTER_KEY, TEMPLATE_CLIENT
from careerplan.seed_example import GOAL_KEYS, seed_id
from domain import commands as c
from eventstore import EventStore
from eventstore.schema import events
from services.plans import CareerPlans, CommandContext
from services.plans.event_mapping import domain_codec
from services.privacy.client_keys import ClientKeys
from services.privacy.sealing import ClientDataSealer

pytestmark = pytest.mark.postgres

ORGANISATION = "org-scale"
CLIENTS, EVENTS, BIG = 5, 100, 400


@pytest.fixture
def loaded(postgres_engine, monkeypatch):
    monkeypatch.setattr(population, "BLOCK", 2)  # several blocks: keys made per block
    monkeypatch.setattr(population, "CLIENTS_PER_COACH", 2)
    first = population.copy_clients(postgres_engine, ORGANISATION, 0, 3, EVENTS, BIG)
    grown = population.copy_clients(postgres_engine, ORGANISATION, 3, CLIENTS, EVENTS)
    keys = ClientKeys(postgres_engine, base64.b64decode(BENCH_MASTER_KEY))
    store = EventStore(postgres_engine, domain_codec(ClientDataSealer(keys)))
    yield store, first.events + grown.events
    store.close()


def test_the_loaded_store_verifies_every_chain(loaded):
    store, count = loaded

    report = store.verify(tagged=("organisation_id", ORGANISATION))

    assert count == CLIENTS * EVENTS + BIG
    assert report.intact, report.broken[:3]
    assert report.events_checked == count and report.streams_checked == CLIENTS + 1


def test_a_changed_byte_in_a_loaded_row_is_found(loaded):
    store, _ = loaded
    stream = f"client-{population.client_id(1)}"
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete")
        conn.execute(
            events.update()
            .where(events.c.stream_id == stream, events.c.stream_version == 7)
            .values(schema_version=events.c.schema_version + 1)
        )
        conn.exec_driver_sql("ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete")

    report = store.verify()

    assert [(b.stream_id, b.stream_version) for b in report.broken] == [(stream, 7)]


def test_each_client_replays_to_a_valid_plan_of_its_own_coach(loaded):
    store, _ = loaded
    plans = CareerPlans(store)

    for n in range(CLIENTS):
        plan = plans.load(ORGANISATION, population.client_id(n))
        assert plan.version == EVENTS
        assert plan.plan.client_id == population.client_id(n)
        assert plan.plan.coach_id == f"coach-{n // 2 + 1}"
        assert len(plan.plan.goals) == 4
    big = plans.load(ORGANISATION, population.big_client_id())
    assert big.version == BIG
    goal = big.plan.goals[seed_id(TEMPLATE_CLIENT, "goal", GOAL_KEYS[0])]
    assert len(goal.milestones) > BIG // 3 - 5


def test_the_domain_appends_after_a_loaded_history(loaded):
    store, _ = loaded
    plans = CareerPlans(store, clock=lambda: datetime(2026, 11, 27, tzinfo=timezone.utc))
    context = CommandContext(ORGANISATION, actor="coach-1", correlation_id="bench-test")
    goal = seed_id(TEMPLATE_CLIENT, "goal", GOAL_KEYS[0])

    for client in (population.client_id(4), population.big_client_id()):
        result = plans.execute(
            client,
            c.RecordCheckIn(goal_id=goal, check_in_id=seed_id(client, "t"), confidence=6, value=3),
            context,
        )
        assert result.events and result.events[0].prev_hash is not None

    assert store.verify().intact


def test_the_loaded_rows_are_decided_once_and_varied_per_client(loaded):
    store, _ = loaded
    with store.reader.connect() as conn:
        enrolments = conn.execute(
            sa.select(events.c.data, events.c.recorded_at).where(events.c.type == "ClientEnrolled")
        ).all()
    first_events = [store.read_stream(f"client-{population.client_id(n)}")[0] for n in range(2)]

    assert len({row.recorded_at for row in enrolments}) == CLIENTS + 1
    assert first_events[0].data["display_name"] == first_events[1].data["display_name"]
    assert (
        "_sealed" in enrolments[0].data
    )  # personal fields stored sealed, as the service seals them
