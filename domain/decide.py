"""Deciding a command: which events it adds to a plan, or which rule refuses it.

`decide` never changes the plan it is given: it runs the aggregate method on
a copy and returns the events, which the caller appends to the store and then
applies. A multi-event decision (a replacement, a review decision with its
consequence) is checked step by step on the copy, so it is all or nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from domain import commands as c
from domain.dates import require_aware
from domain.events import Event
from domain.plan import CareerPlan
from domain.rules.timing import CLOCK_SKEW, check_moment, moment_of

_DECISIONS: dict[type[c.Command], Callable[[CareerPlan, Any, datetime], None]] = {
    c.EnrolClient: CareerPlan.enrol,
    c.ReassignCoach: CareerPlan.reassign_coach,
    c.ChangeClientDetails: CareerPlan.change_details,
    c.ArchiveClient: CareerPlan.archive,
    c.ReactivateClient: CareerPlan.reactivate,
    c.SetDestination: CareerPlan.set_destination,
    c.ReviseDestination: CareerPlan.revise_destination,
    c.AddRequirement: CareerPlan.add_requirement,
    c.ReviseRequirement: CareerPlan.revise_requirement,
    c.RetireRequirement: CareerPlan.retire_requirement,
    c.SetGoal: CareerPlan.set_goal,
    c.RefineGoal: CareerPlan.refine_goal,
    c.PauseGoal: CareerPlan.pause_goal,
    c.ResumeGoal: CareerPlan.resume_goal,
    c.AchieveGoal: CareerPlan.achieve_goal,
    c.DropGoal: CareerPlan.drop_goal,
    c.ReplaceGoal: CareerPlan.replace_goal,
    c.ReopenGoal: CareerPlan.reopen_goal,
    c.AddMilestone: CareerPlan.add_milestone,
    c.CompleteMilestone: CareerPlan.complete_milestone,
    c.ReopenMilestone: CareerPlan.reopen_milestone,
    c.RemoveMilestone: CareerPlan.remove_milestone,
    c.RecordCheckIn: CareerPlan.record_check_in,
    c.StartReview: CareerPlan.start_review,
    c.RecordReviewDecision: CareerPlan.record_review_decision,
    c.CompleteReview: CareerPlan.complete_review,
    c.StartPivot: CareerPlan.start_pivot,
    c.RecordPivotDecision: CareerPlan.record_pivot_decision,
    c.CompletePivot: CareerPlan.complete_pivot,
    c.AbandonPivot: CareerPlan.abandon_pivot,
    c.RecordAlignmentCheck: CareerPlan.record_alignment_check,
    c.RecordNudge: CareerPlan.record_nudge,
    c.ApplyTemplate: CareerPlan.apply_template,
}


def decide(
    plan: CareerPlan,
    command: c.Command,
    now: datetime,
    *,
    skew: timedelta = CLOCK_SKEW,
    discard_plan: bool = False,
) -> list[Event]:
    """The events `command` adds to `plan` at `now` (timezone-aware); raises a DomainError if refused.

    The command is decided as of when its fact happened (its `occurred_at`,
    else `now`): the events carry that moment and the rules judge "today" by
    it. `skew` is how far a moment may lie after `now` (see `domain.rules.timing`).
    The plan is left unchanged; apply the returned events (after appending them).
    A caller that replayed the plan only for this decision passes `discard_plan`:
    the decision then works on the plan itself instead of a deep copy, and the
    plan must not be used afterwards.
    """
    try:
        method = _DECISIONS[type(command)]
    except KeyError:
        raise TypeError(f"no decision is defined for {type(command).__name__}") from None
    plan.check_accepts(command)  # an archived plan takes reactivation only
    at = moment_of(command, require_aware(now, "the decision time"), skew)
    check_moment(plan, command, at)
    draft = plan if discard_plan else copy.deepcopy(plan)
    draft._pending = []
    method(draft, command, at)
    return list(draft._pending)
