"""Business-time rules: when a command's fact may have happened in the client's life.

A caller may back-date a fact (`occurred_at`) to when it really happened, so
back-filled coaching notes count as live ones would have. A fact cannot have
happened in the future (beyond a small clock skew, which is then read as
now), before the client was enrolled, or before what it refers to existed:
the goal, the milestone, the open review or pivot, or the goal's last change of
status (so a goal's pauses and life-cycles stay in order in business time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain import commands as c
from domain.dates import require_aware
from domain.errors import (
    OccurredBeforeEnrolment,
    OccurredBeforeGoal,
    OccurredBeforeLastChange,
    OccurredBeforeMilestone,
    OccurredBeforePivot,
    OccurredBeforeReview,
    OccurredInFuture,
)
from domain.goal import Goal
from domain.text import quoted

if TYPE_CHECKING:
    from domain.plan import CareerPlan

CLOCK_SKEW = timedelta(minutes=5)

# Commands that change (or, in a review, may change) a goal's status: they follow its last change.
_STATUS_CHANGES = (
    c.PauseGoal,
    c.ResumeGoal,
    c.AchieveGoal,
    c.DropGoal,
    c.ReplaceGoal,
    c.ReopenGoal,
    c.RecordReviewDecision,
    c.RecordPivotDecision,
)


def moment_of(command: c.Command, now: datetime, skew: timedelta = CLOCK_SKEW) -> datetime:
    """When the command's fact happened: its `occurred_at` (UTC), else `now`.

    Refuses a moment more than `skew` after `now`; one within it is read as now.
    """
    if command.occurred_at is None:
        return now
    at = require_aware(command.occurred_at, "occurred_at")
    if at > now + skew:
        raise OccurredInFuture(
            f"occurred_at {_when(at)} is in the future (it is now {_when(now)}): a fact is recorded once it "
            "has happened; leave occurred_at out to mean now"
        )
    return min(at, now)


def check_moment(plan: CareerPlan, command: c.Command, at: datetime) -> None:
    """Refuse a moment before the enrolment, or before the goal, milestone or review the command names."""
    if plan.enrolled_at is None or isinstance(command, c.EnrolClient):
        return
    if at < plan.enrolled_at:
        raise OccurredBeforeEnrolment(
            f"{_when(at)} is before the client was enrolled ({_when(plan.enrolled_at)}): nothing in their plan "
            "can have happened before then"
        )
    goal = plan.goals.get(getattr(command, "goal_id", None) or "")
    if goal is not None:
        _check_goal(goal, command, at)
    review_id = getattr(command, "review_id", None)
    review = plan.reviews.get(review_id) if review_id else None
    if review is not None and at < review.started_at:
        raise OccurredBeforeReview(
            f"{_when(at)} is before review {review_id} started ({_when(review.started_at)}): record its "
            "decisions and completion at or after its start"
        )
    pivot_id = getattr(command, "pivot_id", None)
    pivot = plan.pivots.get(pivot_id) if pivot_id else None
    if pivot is not None and at < pivot.started_at:
        raise OccurredBeforePivot(
            f"{_when(at)} is before pivot {pivot_id} started ({_when(pivot.started_at)}): record its "
            "decisions, completion or abandonment at or after its start"
        )


def _check_goal(goal: Goal, command: c.Command, at: datetime) -> None:
    if at < goal.set_at:
        raise OccurredBeforeGoal(
            f"{_when(at)} is before goal {goal.label} was set ({_when(goal.set_at)}): nothing can have "
            "happened to it before then"
        )
    if isinstance(command, _STATUS_CHANGES) and at < (changed := last_status_change(goal)):
        raise OccurredBeforeLastChange(
            f"{_when(at)} is before goal {goal.label} last changed status ({_when(changed)}): a goal's "
            "pauses, resumptions and closing are recorded in the order they happened"
        )
    milestone = goal.milestones.get(getattr(command, "milestone_id", None) or "")
    if milestone is None or isinstance(command, c.AddMilestone):
        return
    since = milestone.completed_at if isinstance(command, c.ReopenMilestone) else milestone.added_at
    if since is not None and at < since:
        what = "was completed" if isinstance(command, c.ReopenMilestone) else "was added"
        raise OccurredBeforeMilestone(
            f"{_when(at)} is before milestone {quoted(milestone.title)} {what} ({_when(since)})"
        )


def last_status_change(goal: Goal) -> datetime:
    """When the goal last changed status: set, paused, resumed, closed or reopened."""
    moments = [goal.set_at, goal.reopened_at, goal.closed_at]
    for pause in goal.pauses:
        moments += [pause.started_at, pause.ended_at]
    return max(moment for moment in moments if moment is not None)


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
