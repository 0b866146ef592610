"""The daily nudge sweep on the stub broker: once per (client, day), as often as the policy allows at most.

Runs on SQLite and PostgreSQL. Paused goals and archived clients are never
nudged; an organisation that has not opted in is not swept; the notice
carries what to say, and forgetting the client strips it from the log.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from coaches_support import add_coaches
from plan_histories import Clock, context, enrol_seed_client
from stub_workers import stub_workers
from test_webhooks import allow

from domain import commands as c
from domain.goal import ACTIVE
from services import policies
from services.nudges import sweeps
from services.webhooks import endpoints
from services.webhooks.tables import webhook_deliveries
from workers import scheduler

NUDGE_SWEEP = next(job for job in scheduler.JOBS if job.name == "nudge-sweep")
URL = "https://hooks.example.com/nudges"


@pytest.fixture
def world(engine):
    clock = Clock()
    with stub_workers(engine, clock) as (services, broker, actors, drain):
        organisation, _ = services.tenancy.organisations.create("Acme Coaching")
        org = organisation.organisation_id
        add_coaches(services, org)
        policies.set_policy(
            services.engine,
            org,
            {},
            ["quarterly"],
            nudges={"enabled": True, "quiet_days": 7, "min_days_between": 3},
        )
        yield services, clock, drain, org


def nudges(services, client: str) -> list:
    return [e for e in services.store.read_stream(f"client-{client}") if e.type == "NudgeDue"]


def sweep(services, clock, drain) -> bool:
    fired = scheduler.fire(services.engine, NUDGE_SWEEP, clock.now)
    drain()
    return fired


def test_the_daily_sweep_nudges_a_quiet_client_once_a_day_and_no_more_often_than_the_policy(world):
    services, clock, drain, org = world
    ours = [enrol_seed_client(services.plans, clock, org) for _ in range(2)]
    theirs = enrol_seed_client(services.plans, clock, "another-organisation")
    clock.now += timedelta(days=6)
    assert sweep(services, clock, drain) and [nudges(services, x) for x in ours] == [[], []]

    clock.now += timedelta(days=1)
    assert sweep(services, clock, drain)
    assert [len(nudges(services, x)) for x in ours] == [1, 1] and nudges(services, theirs) == []
    (event,) = nudges(services, ours[0])
    assert event.data["day"] == clock.now.date().isoformat() and event.data["quiet_days"] >= 7
    assert event.data["goal_statement"] and event.metadata["actor"] == "scheduler"

    assert not sweep(services, clock, drain), "the day's sweep fires once"
    assert sweeps.queue_nudges(services.engine, clock.now.date().isoformat()) == 0
    day = clock.now.date().isoformat()
    assert not sweeps.run_nudge(services.plans, services.engine, org, ours[0], day)
    assert [len(nudges(services, x)) for x in ours] == [1, 1]

    for _ in range(2):  # min_days_between is 3
        clock.now += timedelta(days=1)
        sweep(services, clock, drain)
    assert [len(nudges(services, x)) for x in ours] == [1, 1]
    clock.now += timedelta(days=1)
    sweep(services, clock, drain)
    assert [len(nudges(services, x)) for x in ours] == [2, 2]


def test_paused_goals_and_archived_clients_are_never_nudged(world):
    services, clock, drain, org = world
    paused, archived = (enrol_seed_client(services.plans, clock, org) for _ in range(2))
    plan = services.plans.load(org, paused).plan
    for goal in plan.goals.values():
        if goal.status == ACTIVE:
            services.plans.execute(paused, c.PauseGoal(goal_id=goal.goal_id), context(org))
    services.plans.execute(archived, c.ArchiveClient(reason="on leave"), context(org))
    clock.now += timedelta(days=30)
    sweep(services, clock, drain)
    assert nudges(services, paused) == [] == nudges(services, archived)
    assert not sweeps.run_nudge(
        services.plans, services.engine, org, archived, clock.now.date().isoformat()
    )


def test_the_notice_says_what_to_suggest_and_forgetting_the_client_strips_it(world):
    services, clock, drain, org = world
    allow(services.engine, "hooks.example.com")
    endpoint = endpoints.register_endpoint(services.engine, org, URL, ["client.nudge_due"])
    client = enrol_seed_client(services.plans, clock, org)
    clock.now += timedelta(days=8)
    sweep(services, clock, drain)
    services.projections.catch_up()
    (event,) = nudges(services, client)

    def payloads():
        with services.engine.connect() as conn:
            return conn.execute(
                sa.select(webhook_deliveries.c.payload, webhook_deliveries.c.status).where(
                    webhook_deliveries.c.endpoint_id == endpoint["endpoint_id"]
                )
            ).all()

    ((payload, _),) = payloads()
    assert payload["client_id"] == client and payload["event"] == "NudgeDue"
    for name in ("nudge_id", "day", "quiet_days", "goal_id", "milestone_id"):
        assert payload[name] == event.data[name]
    assert payload["goal_statement"] == event.data["goal_statement"]
    assert payload["milestone_title"] == event.data["milestone_title"]

    report = services.erasure.forget(org, client, "test")
    assert report.rows_purged["webhook_deliveries"] == 1
    ((payload, status),) = payloads()
    assert payload["goal_statement"] is None and payload["milestone_title"] is None
    assert payload["goal_id"] == event.data["goal_id"] and status in ("cancelled", "delivered")
