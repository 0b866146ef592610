"""The career-plan application service on a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime, timezone

import pytest

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from domain import commands as c
from domain.errors import RuleViolation
from eventstore import ConcurrencyConflict, EventStore, NewEvent
from services.plans import CareerPlans, ClientNotFound, CommandContext
from services.plans.event_mapping import domain_codec, stream_id

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
ORG = "org-a"


def context(key: str | None = None, org: str = ORG) -> CommandContext:
    return CommandContext(
        org, actor="key:admin", correlation_id=str(uuid.uuid4()), idempotency_key=key
    )


@pytest.fixture
def plans(engine) -> CareerPlans:
    return CareerPlans(EventStore(engine, domain_codec()), clock=lambda: NOW)


def enrol(plans: CareerPlans, client_id: str, org: str = ORG) -> None:
    command = c.EnrolClient(
        client_id=client_id,
        organisation_id=org,
        coach_id="coach-1",
        display_name="Sam",
        timezone="Europe/London",
    )
    plans.execute(client_id, command, context(org=org))


def test_seed_example_round_trips_through_the_store(plans):
    client = str(uuid.uuid4())
    for command in seed_example_commands(client, ORG, "coach-1", NOW.date()):
        plans.execute(client, command, context())

    loaded = plans.load(ORG, client)
    in_memory = CareerPlans(EventStore(plans._store.engine, domain_codec()), clock=lambda: NOW)
    again = in_memory.load(ORG, client)

    goal_ids = [seed_id(client, "goal", key) for key in GOAL_KEYS]
    assert set(goal_ids) <= set(loaded.plan.goals)
    assert loaded.plan == again.plan
    assert loaded.version == len(plans._store.read_stream(stream_id(client)))


def test_idempotency_key_retry_stores_once_and_returns_the_same_result(plans):
    client = str(uuid.uuid4())
    enrol(plans, client)
    command = c.ReassignCoach(coach_id="coach-2")

    first = plans.execute(client, command, context("key-1"))
    retried = plans.execute(client, command, context("key-1"))

    assert retried.events == first.events and retried.replayed
    assert plans.load(ORG, client).version == 2


def test_stale_expected_version_is_a_conflict(plans):
    client = str(uuid.uuid4())
    enrol(plans, client)
    plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())

    with pytest.raises(ConcurrencyConflict):
        plans.execute(client, c.ReassignCoach(coach_id="coach-3"), context(), expected_version=1)
    assert plans.load(ORG, client).plan.coach_id == "coach-2"


def test_another_organisation_cannot_see_or_command_a_client(plans):
    client = str(uuid.uuid4())
    enrol(plans, client)

    with pytest.raises(ClientNotFound):
        plans.load("org-b", client)
    with pytest.raises(ClientNotFound):
        plans.execute(client, c.ReassignCoach(coach_id="x"), context(org="org-b"))
    with pytest.raises(ClientNotFound):
        enrol(plans, client, org="org-b")


def test_a_refused_command_writes_nothing(plans):
    client = str(uuid.uuid4())
    enrol(plans, client)

    with pytest.raises(RuleViolation):
        enrol(plans, client)

    assert plans.load(ORG, client).version == 1


def test_plan_as_of_an_earlier_time(plans):
    client = str(uuid.uuid4())
    enrol(plans, client)
    first = plans._store.read_stream(stream_id(client))[0].recorded_at
    time.sleep(0.01)  # SQLite's clock has millisecond resolution
    plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())

    assert plans.load(ORG, client, as_of=first).plan.coach_id == "coach-1"
    assert plans.load(ORG, client).plan.coach_id == "coach-2"


def test_an_old_goal_set_schema_version_still_loads(plans):
    client = str(uuid.uuid4())
    for command in seed_example_commands(client, ORG, "coach-1", NOW.date())[:8]:
        plans.execute(client, command, context())
    plan = plans.load(ORG, client).plan
    requirement = next(iter(plan.requirements))
    v1 = NewEvent(
        type="GoalSet",
        schema_version=1,
        metadata={"organisation_id": ORG},
        data={
            "occurred_at": NOW.isoformat(),
            "goal_id": "legacy-goal",
            "statement": "Complete an introductory Python course in 8 weeks",
            "category": "skill",
            "confidence": 6,
            "serves": [{"requirement_id": requirement, "how_it_leads": "Builds the basics"}],
            "start_on": date(2026, 12, 1).isoformat(),
            "due_on": date(2027, 2, 1).isoformat(),
            "metric_name": "modules completed",
            "baseline": 0,
            "target": 8,
            "unit": "modules",
        },
    )
    version = plans.load(ORG, client).version
    plans._store.append(stream_id(client), [v1], expected_version=version)

    goal = plans.load(ORG, client).plan.goals["legacy-goal"]
    assert goal.terms.statement.startswith("Complete an introductory Python course")
