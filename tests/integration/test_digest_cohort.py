"""The coach and organisation digests' cohort section: the cohort insight over the period, with its chart."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from plan_histories import Clock, context, enrol_seed_client
from stub_workers import stub_workers
from test_digest_periods import MONDAY_W48, run, step, stored

from careerplan.seed_example import seed_id
from domain import commands as c
from services.digests import generation
from services.digests import runs as digest_runs
from services.digests.tables import digests

W48 = (date(2026, 11, 23), date(2026, 11, 29))


@pytest.fixture
def stub(engine):
    clock = Clock(MONDAY_W48)
    with stub_workers(engine, clock) as (services, broker, actors, drain):
        yield services, clock, actors, drain


def test_the_coach_digest_shows_the_period_cohort_as_the_insight_answers_it(stub):
    services, clock, _, drain = stub
    clients = [enrol_seed_client(services.plans, clock) for _ in range(2)]
    clock.now += timedelta(days=1)
    step(services, clock, clients[0], "in the week")
    clock.now = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)  # after the week
    goal = seed_id(clients[1], "goal", "system-design")
    services.plans.execute(clients[1], c.AchieveGoal(goal_id=goal), context())
    clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)

    run(services, drain, clock.now)

    digest = stored(services, "coach:coach-1", "2026-W48")
    cohort = digest["content"]["cohort"]
    insight = services.insights.report("org-a", *W48, coach_id="coach-1")
    assert cohort == {
        "from": "2026-11-23",
        "to": "2026-11-29",
        **{name: insight[name] for name in ("goals", "by_requirement_kind", "reviews", "momentum")},
    }
    assert cohort["goals"]["goals"] > 0
    assert cohort["goals"]["achieved"] == 0  # achieved after the week: not in the week's cohort
    assert cohort["momentum"]["clients"] == 2
    assert 'id="cohort-chart"' in digest["html"] and 'class="achieved"' in digest["html"]
    assert "## Cohort: goals set 2026-11-23 to 2026-11-29" in digest["markdown"]


def test_a_run_makes_one_organisation_digest_with_the_organisation_cohort_once(stub):
    services, clock, actors, drain = stub
    clients = [enrol_seed_client(services.plans, clock) for _ in range(3)]
    services.plans.execute(clients[2], c.ReassignCoach(coach_id="coach-2"), context())
    clock.now += timedelta(days=1)
    step(services, clock, clients[0], "in the week")
    clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)

    run_id = run(services, drain, clock.now)
    first = stored(services, "organisation:org-a", "2026-W48")
    actors.generate_coach_digests.send(run_id=run_id)  # a redelivery
    drain()
    generation.generate_coach_digests(services.engine, run_id)  # and a resumed run's call

    with services.engine.connect() as conn:
        made = conn.execute(
            sa.select(digests.c.digest_id, digests.c.content["kind"].as_string()).where(
                digests.c.subject.like("organisation:%")
            )
        ).all()
        status = digest_runs.run_status(conn, run_id)
    assert made == [(first["digest_id"], "organisation")]
    assert (status.total, status.done, status.failed) == (6, 6, 0) and status.finished_at
    content = first["content"]
    clients_digests = [stored(services, f"client:{client}", "2026-W48") for client in clients]
    assert content["clients"]["total"] == 3
    assert content["wins"]["total"] == sum(d["content"]["wins"]["total"] for d in clients_digests)
    assert {row["coach_id"]: row["clients"] for row in content["coaches"]} == {
        "coach-1": 2,
        "coach-2": 1,
    }
    insight = services.insights.report("org-a", *W48)
    assert content["cohort"] == {
        "from": "2026-11-23",
        "to": "2026-11-29",
        **{name: insight[name] for name in ("goals", "by_requirement_kind", "reviews", "momentum")},
    }
    assert content["cohort"]["momentum"]["clients"] == 3
    assert '<section id="cohort">' in first["html"] and '<svg id="cohort-chart"' in first["html"]
    assert "## Cohort: goals set 2026-11-23 to 2026-11-29" in first["markdown"]
    assert "| coach-1 | 2 |" in first["markdown"]
