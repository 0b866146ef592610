"""The coach digest's cohort section: the cohort insight over the digest's period, with its chart."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from plan_histories import Clock, context, enrol_seed_client
from stub_workers import stub_workers
from test_digest_periods import MONDAY_W48, run, step, stored

from careerplan.seed_example import seed_id
from domain import commands as c

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
