"""What every rule module shares: the event-applier registry, lookups and common checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from domain.dates import local_today
from domain.errors import (
    ClientNotEnrolled,
    ConfidenceOutOfRange,
    DestinationNotSet,
    GoalInPivot,
    GoalNotActive,
    GoalNotFound,
    GoalUnderReview,
    PivotOpen,
    RequirementInPivot,
    RequirementNotFound,
)
from domain.events import Event
from domain.goal import Goal
from domain.requirement import Requirement

APPLIERS: dict[type[Event], Callable[[Any, Any], None]] = {}


def applies(event_type: type[Event]) -> Callable[[Callable], Callable]:
    """Register the decorated method as how the plan changes when `event_type` is applied."""

    def register(method: Callable) -> Callable:
        APPLIERS[event_type] = method
        return method

    return register


def check_confidence(confidence: int, what: str) -> None:
    """Refuse a confidence that is not a whole number from 1 to 10."""
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 1 <= confidence <= 10:
        raise ConfidenceOutOfRange(
            f"{what} is rated 1 to 10 (1: very unlikely, 10: certain), got {confidence!r}"
        )


class PlanRules:
    """Lookups and checks used by several rule modules; state lives on `CareerPlan`."""

    def _record(self, event: Event) -> None:
        """Apply a decided event and keep it for the caller of `decide`."""
        self.apply(event)
        self._pending.append(event)

    def _today(self, now: datetime) -> date:
        return local_today(now, self.timezone)

    def _check_enrolled(self) -> None:
        if self.client_id is None:
            raise ClientNotEnrolled(
                "this client is not enrolled: enrol them before planning anything"
            )

    def _check_destination_set(self, doing: str) -> None:
        if self.destination is None:
            raise DestinationNotSet(f"set the client's destination before {doing}")

    def _goal(self, goal_id: str) -> Goal:
        self._check_enrolled()
        try:
            return self.goals[goal_id]
        except KeyError:
            raise GoalNotFound(f"this plan has no goal with id {goal_id}") from None

    def _requirement(self, requirement_id: str) -> Requirement:
        self._check_enrolled()
        try:
            return self.requirements[requirement_id]
        except KeyError:
            raise RequirementNotFound(
                f"this plan has no requirement with id {requirement_id}"
            ) from None

    def _check_open(self, goal: Goal, doing: str) -> None:
        """Refuse to change a goal that is achieved, dropped or replaced."""
        if goal.is_open:
            return
        if goal.replaced_by is not None:
            raise GoalNotActive(
                f"cannot {doing} goal {goal.label}: it was replaced by goal {goal.replaced_by}; work on that one"
            )
        raise GoalNotActive(
            f"cannot {doing} goal {goal.label}: it was {goal.status}; reopen it first"
        )

    def _check_not_under_review(self, goal: Goal) -> None:
        """Refuse a direct change to a goal frozen in the open review and not yet decided there."""
        review = self.reviews.get(self.open_review_id) if self.open_review_id else None
        if review is not None and goal.goal_id in review.undecided:
            raise GoalUnderReview(
                f"goal {goal.label} is frozen in open review {review.review_id}: record a review "
                "decision for it (keep, tweak, replace, achieved or dropped) instead"
            )
        pivot = self.pivots[self.open_pivot_id] if self.open_pivot_id else None
        if pivot is not None and goal.goal_id in pivot.undecided_goals:
            raise GoalInPivot(
                f"goal {goal.label} is frozen in open pivot {pivot.pivot_id}: record a pivot "
                "decision for it (keep, tweak, replace or drop) instead"
            )

    def _check_requirement_not_in_pivot(self, requirement: Requirement) -> None:
        """Refuse a direct change to a requirement frozen in the open pivot and not yet decided there."""
        pivot = self.pivots[self.open_pivot_id] if self.open_pivot_id else None
        if pivot is not None and requirement.requirement_id in pivot.undecided_requirements:
            raise RequirementInPivot(
                f"requirement {requirement.label} is frozen in open pivot {pivot.pivot_id}: record a "
                "pivot decision for it (keep, tweak, replace or drop) instead"
            )

    def _check_no_open_pivot(self, doing: str) -> None:
        """Refuse `doing` while a pivot is open: the plan takes no new goals until it completes."""
        if self.open_pivot_id is None:
            return
        pivot = self.pivots[self.open_pivot_id]
        raise PivotOpen(
            f"pivot {pivot.pivot_id} to {pivot.new.role} ({pivot.new.industry}), started "
            f"{pivot.started_at.date()}, is open: decide its goals and requirements and complete it, "
            f"or abandon it, before {doing}"
        )
