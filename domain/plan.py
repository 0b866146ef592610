"""The career plan: the aggregate of one client's event stream.

State is plain dataclasses so projections and tests can read it and compare
two plans with `==`. The rules live in `domain.rules`, one module per concept;
`domain.decide.decide` runs a command against a copy and returns the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.alignment import AlignmentCheck
from domain.dates import add_months, local_today
from domain.events import Event
from domain.goal import Goal
from domain.pivot import Pivot
from domain.requirement import Requirement, RequirementsStatus
from domain.review import Review
from domain.rules.alignment import AlignmentRules
from domain.rules.base import APPLIERS
from domain.rules.clients import ClientRules
from domain.rules.destination import DestinationRules
from domain.rules.enrolment import EnrolmentRules
from domain.rules.goals import GoalRules
from domain.rules.lifecycle import LifecycleRules
from domain.rules.nudges import NudgeRules
from domain.rules.pivots import PivotRules
from domain.rules.progress import ProgressRules
from domain.rules.requirements import RequirementRules
from domain.rules.reviews import ReviewRules
from domain.rules.templates import TemplateRules
from domain.values import Destination


@dataclass
class CareerPlan(
    EnrolmentRules,
    ClientRules,
    DestinationRules,
    RequirementRules,
    GoalRules,
    LifecycleRules,
    ProgressRules,
    ReviewRules,
    PivotRules,
    AlignmentRules,
    NudgeRules,
    TemplateRules,
):
    """One client's career plan: enrolment, destination, requirements, goals, reviews, pivots and re-alignment checks.

    `version` is the number of events applied, i.e. the stream version an
    append with optimistic concurrency expects.
    """

    client_id: str | None = None
    organisation_id: str | None = None
    coach_id: str | None = None
    display_name: str | None = None
    timezone: str | None = None
    review_cadence_months: int = 3
    enrolled_at: datetime | None = None
    archived_at: datetime | None = None
    reactivated_at: datetime | None = None
    destination: Destination | None = None
    requirements: dict[str, Requirement] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    open_review_id: str | None = None
    last_review_completed_at: datetime | None = None
    pivots: dict[str, Pivot] = field(default_factory=dict)
    open_pivot_id: str | None = None
    last_alignment_check: AlignmentCheck | None = None
    alignment_check_ids: set[str] = field(default_factory=set)
    last_nudge_on: date | None = None
    version: int = 0
    _pending: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def replay(cls, events: Iterable[Event]) -> CareerPlan:
        """The plan rebuilt from its events, oldest first."""
        plan = cls()
        for event in events:
            plan.apply(event)
        return plan

    @classmethod
    def replay_as_on(cls, events: Iterable[Event], until: datetime) -> CareerPlan:
        """The plan as it was at `until` in business time: its events that occurred by then, as known now.

        Facts keep their recorded order. The timing rules guarantee that a fact
        never precedes what it refers to; a fact recorded before those rules
        existed that does (a check-in dated before its goal was set) is left out.
        """
        plan = cls()
        for event in events:
            if event.occurred_at <= until:
                try:
                    plan.apply(event)
                except KeyError:
                    continue
        return plan

    def apply(self, event: Event) -> None:
        """Change the plan by one event. Never checks a rule: events are facts."""
        try:
            applier = APPLIERS[type(event)]
        except KeyError:
            raise TypeError(
                f"a career plan does not know events of type {type(event).__name__}"
            ) from None
        applier(self, event)
        self.version += 1

    @property
    def is_enrolled(self) -> bool:
        """True once the client is enrolled."""
        return self.client_id is not None

    @property
    def active_requirements(self) -> list[Requirement]:
        """The requirements not retired, in the order they were added."""
        return [requirement for requirement in self.requirements.values() if requirement.is_active]

    @property
    def requirements_status(self) -> RequirementsStatus:
        """Whether the destination carries its 5–10 requirements, e.g. "drafting: 3 of 5–10"."""
        return RequirementsStatus(active=len(self.active_requirements))

    def uncovered_requirements(self) -> list[Requirement]:
        """Active requirements that no open goal serves yet: the gaps a roadmap shows."""
        served = {
            contribution.requirement_id
            for goal in self.goals.values()
            if goal.is_open
            for contribution in goal.terms.serves
        }
        return [
            requirement
            for requirement in self.active_requirements
            if requirement.requirement_id not in served
        ]

    @property
    def open_review(self) -> Review | None:
        """The review in progress, if any."""
        return self.reviews[self.open_review_id] if self.open_review_id else None

    @property
    def open_pivot(self) -> Pivot | None:
        """The pivot in progress, if any."""
        return self.pivots[self.open_pivot_id] if self.open_pivot_id else None

    def chain(self, goal_id: str) -> list[str]:
        """Ids of the goals `goal_id` follows, directly or not, nearest first (breadth-first)."""
        ordered: list[str] = []
        queue = list(self.goals[goal_id].terms.follows)
        while queue:
            current = queue.pop(0)
            if current not in ordered and current in self.goals:
                ordered.append(current)
                queue.extend(self.goals[current].terms.follows)
        return ordered

    def next_review_due(self) -> date | None:
        """The client-local date the next review falls due: a cadence after the last one (or enrolment)."""
        since = self.last_review_completed_at or self.enrolled_at
        if since is None:
            return None
        return add_months(local_today(since, self.timezone), self.review_cadence_months)
