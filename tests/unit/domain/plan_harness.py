"""A plan harness for the domain unit tests: decide and apply commands, check refusals, build SMART terms."""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from domain import commands as c
from domain.decide import decide
from domain.errors import DomainError
from domain.events import Event
from domain.plan import CareerPlan
from domain.values import Contribution, GoalTerms, Measure

START = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


def new_id() -> str:
    return str(uuid.uuid4())


class Harness:
    """A plan under test: `run` decides and applies, `refuse` checks a refusal leaves the plan alone."""

    def __init__(self) -> None:
        self.plan = CareerPlan()
        self.now = START
        self.events: list[Event] = []
        self.requirement_ids: list[str] = []

    @property
    def today(self) -> date:
        return self.now.date()

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)

    def run(self, command: c.Command) -> list[Event]:
        events = decide(self.plan, command, self.now)
        for event in events:
            self.plan.apply(event)
        self.events.extend(events)
        return events

    def refuse(
        self, command: c.Command, error: type[DomainError], match: str | None = None
    ) -> DomainError:
        before = copy.deepcopy(self.plan)
        with pytest.raises(error, match=match) as raised:
            decide(self.plan, command, self.now)
        assert self.plan == before
        assert raised.value.code == error.code
        return raised.value

    def enrol(self) -> None:
        self.run(
            c.EnrolClient(
                client_id=new_id(),
                organisation_id=new_id(),
                coach_id=new_id(),
                display_name="Ada",
                timezone="Europe/London",
            )
        )

    def set_destination(self) -> None:
        self.run(
            c.SetDestination(
                statement="Become a senior software engineer in 5 years.",
                role="senior software engineer",
                industry="software",
                impact="reliable systems",
                horizon=self.today.replace(year=self.today.year + 5),
            )
        )

    def add_requirements(self, count: int) -> list[str]:
        for index in range(count):
            requirement_id = new_id()
            self.run(
                c.AddRequirement(
                    requirement_id=requirement_id, kind="skill", description=f"Skill {index}"
                )
            )
            self.requirement_ids.append(requirement_id)
        return self.requirement_ids

    def terms(self, **overrides) -> GoalTerms:
        base = GoalTerms(
            statement="Complete a system design course",
            category="skill",
            measure=Measure.metric("modules completed", 0, 10, "modules"),
            confidence=7,
            serves=(Contribution(self.requirement_ids[0], "Builds technical depth."),),
            start_on=self.today,
            due_on=self.today + timedelta(days=90),
        )
        return replace(base, **overrides)

    def set_goal(self, **overrides) -> str:
        goal_id = new_id()
        self.run(c.SetGoal(goal_id=goal_id, terms=self.terms(**overrides)))
        return goal_id
