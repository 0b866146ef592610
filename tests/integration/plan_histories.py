"""Random but valid coaching histories, run through the real application service."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta, timezone

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from domain import commands as c
from domain.errors import DomainError
from domain.values import TermsPatch
from services.plans import CareerPlans, CommandContext

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A settable clock for the application service."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def context(org: str = "org-a") -> CommandContext:
    return CommandContext(org, actor="test", correlation_id=str(uuid.uuid4()))


def enrol_seed_client(plans: CareerPlans, clock: Clock, org: str = "org-a") -> str:
    """A new client with the seed's example plan; returns the client id."""
    client = str(uuid.uuid4())
    for command in seed_example_commands(client, org, "coach-1", clock.now.date()):
        plans.execute(client, command, context(org))
    return client


def random_step(client: str, op: int, value: int) -> c.Command:
    """One of a dozen everyday commands on the seed plan's goals."""
    goal = seed_id(client, "goal", GOAL_KEYS[value % len(GOAL_KEYS)])
    fresh = str(uuid.uuid4())
    return [
        lambda: c.RecordCheckIn(
            goal_id=goal, check_in_id=fresh, confidence=1 + value % 10, value=float(value % 12)
        ),
        lambda: c.AddMilestone(
            goal_id=goal,
            milestone_id=seed_id(client, "m", str(value % 5)),
            title="Revise a section",
            estimate_minutes=45,
        ),
        lambda: c.CompleteMilestone(
            goal_id=goal, milestone_id=seed_id(client, "m", str(value % 5))
        ),
        lambda: c.ReopenMilestone(goal_id=goal, milestone_id=seed_id(client, "m", str(value % 5))),
        lambda: c.PauseGoal(goal_id=goal, reason="exam season"),
        lambda: c.ResumeGoal(goal_id=goal),
        lambda: c.AchieveGoal(goal_id=goal),
        lambda: c.DropGoal(goal_id=goal, reason="no longer relevant"),
        lambda: c.ReopenGoal(goal_id=goal, reason="back on"),
        lambda: c.RefineGoal(goal_id=goal, changes=TermsPatch(confidence=1 + (value * 7) % 10)),
        lambda: c.ReassignCoach(coach_id=f"coach-{value % 3}"),
    ][op % 11]()


def try_step(plans: CareerPlans, clock: Clock, client: str, op: int, value: int, days: int) -> bool:
    """Advance the clock and run one random command; False when the plan refused it."""
    clock.now += timedelta(days=days)
    try:
        plans.execute(client, random_step(client, op, value), context())
        return True
    except DomainError:
        return False


def clone_seed_clients(store, clock: Clock, count: int, org: str = "org-a") -> list[str]:
    """`count` clients with the seed's plan, appended as events directly (fast, for big sweeps)."""
    from domain.decide import decide
    from domain.plan import CareerPlan
    from services.plans.event_mapping import stream_id, to_new_events

    template, plan = "template", CareerPlan()
    events = []
    for command in seed_example_commands(template, org, "coach-1", clock.now.date()):
        for event in decide(plan, command, clock.now):
            plan.apply(event)
            events.append(event)
    clients = [str(uuid.uuid4()) for _ in range(count)]
    for client in clients:
        enrolled = dataclasses.replace(events[0], client_id=client)
        records = to_new_events(client, [enrolled, *events[1:]], {"organisation_id": org}, None)
        store.append(stream_id(client), records, expected_version=0)
    return clients
