"""The seed's worked example, built only through commands, decides cleanly and chains its four goals."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from domain.dates import add_months
from domain.decide import decide
from domain.events import event_from_data, event_to_data
from domain.plan import CareerPlan

CLIENT, ORGANISATION, COACH = (
    str(uuid.uuid5(uuid.NAMESPACE_DNS, name)) for name in ("client", "org", "coach")
)
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


def build() -> tuple[CareerPlan, list]:
    plan, events = CareerPlan(), []
    for command in seed_example_commands(CLIENT, ORGANISATION, COACH, NOW.date()):
        for event in decide(plan, command, NOW):
            plan.apply(event)
            events.append(event)
    return plan, events


def test_the_worked_example_builds_the_four_chained_goals_in_their_timeframes():
    plan, events = build()
    assert plan.destination.role == "senior software engineer"
    assert plan.destination.horizon == date(2031, 1, 15)
    assert plan.requirements_status.state == "complete"
    goal_ids = [seed_id(CLIENT, "goal", key) for key in GOAL_KEYS]
    assert list(plan.goals) == goal_ids
    goals = [plan.goals[goal_id] for goal_id in goal_ids]
    assert [goal.terms.statement.split()[0] for goal in goals] == [
        "Complete",
        "Lead",
        "Mentor",
        "Drive",
    ]
    assert [goal.terms.follows for goal in goals] == [
        (),
        (goal_ids[0],),
        (goal_ids[1],),
        (goal_ids[2],),
    ]
    assert plan.chain(goal_ids[3]) == goal_ids[2::-1]
    months = [(goal.terms.start_on, goal.terms.due_on) for goal in goals]
    assert months == [
        (add_months(NOW.date(), a), add_months(NOW.date(), b))
        for a, b in [(0, 3), (6, 12), (12, 24), (24, 48)]
    ]
    assert goals[1].terms.serves[0].how_it_leads.startswith("Demonstrates ownership, leadership")
    assert (
        goals[0].current_value == 1
        and sum(m.status == "completed" for m in goals[0].milestones.values()) == 1
    )


def test_the_worked_example_is_reproducible_and_replays_from_its_stored_form():
    plan, events = build()
    assert seed_example_commands(CLIENT, ORGANISATION, COACH, NOW.date()) == seed_example_commands(
        CLIENT, ORGANISATION, COACH, NOW.date()
    )
    replayed = CareerPlan.replay(
        event_from_data(type(e).__name__, event_to_data(e)) for e in events
    )
    assert replayed == plan
