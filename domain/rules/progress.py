"""Progress rules: micro-milestones of 15–120 minutes (30–60 is the norm) and append-only check-ins."""

from __future__ import annotations

import math
from datetime import datetime

from domain.commands import (
    AddMilestone,
    CompleteMilestone,
    RecordCheckIn,
    RemoveMilestone,
    ReopenMilestone,
)
from domain.errors import (
    CheckInNotFound,
    CheckInValueInvalid,
    CheckInValueRequired,
    IdAlreadyUsed,
    MilestoneEstimateOutOfRange,
    MilestoneNotCompleted,
    MilestoneNotFound,
    MilestoneNotOpen,
)
from domain.events import (
    CheckInRecorded,
    MilestoneAdded,
    MilestoneCompleted,
    MilestoneRemoved,
    MilestoneReopened,
)
from domain.goal import Goal
from domain.progress import MILESTONE_LIMIT_MINUTES, CheckIn, Milestone
from domain.rules.base import PlanRules, applies, check_confidence
from domain.text import quoted, require_text


class ProgressRules(PlanRules):
    """Milestones and check-ins on open (active or paused) goals."""

    def add_milestone(self, command: AddMilestone, now: datetime) -> None:
        """Plan a small step of 15–120 minutes (30–60 is the norm) toward an open goal."""
        goal = self._open_goal(command.goal_id, "add a milestone to")
        milestone_id = require_text(command.milestone_id, "the milestone id")
        if milestone_id in goal.milestones:
            raise IdAlreadyUsed(f"milestone id {milestone_id} is already used on goal {goal.label}")
        title = require_text(command.title, "the milestone title")
        low, high = MILESTONE_LIMIT_MINUTES
        estimate = command.estimate_minutes
        if (
            isinstance(estimate, bool)
            or not isinstance(estimate, int)
            or not low <= estimate <= high
        ):
            raise MilestoneEstimateOutOfRange(
                f"milestone {quoted(title)} is estimated at {estimate!r} minutes; a micro-milestone takes "
                f"30–60 minutes and never under {low} or over {high}: split it or merge it"
            )
        self._record(
            MilestoneAdded(
                occurred_at=now,
                goal_id=goal.goal_id,
                milestone_id=milestone_id,
                title=title,
                estimate_minutes=estimate,
            )
        )

    def complete_milestone(self, command: CompleteMilestone, now: datetime) -> None:
        """Mark an open milestone done: a win."""
        goal, milestone = self._milestone(command.goal_id, command.milestone_id, "complete")
        if milestone.status != "open":
            raise MilestoneNotOpen(f"milestone {quoted(milestone.title)} is already completed")
        self._record(
            MilestoneCompleted(
                occurred_at=now, goal_id=goal.goal_id, milestone_id=milestone.milestone_id
            )
        )

    def reopen_milestone(self, command: ReopenMilestone, now: datetime) -> None:
        """Mark a completed milestone not done after all."""
        goal, milestone = self._milestone(command.goal_id, command.milestone_id, "reopen")
        if milestone.status != "completed":
            raise MilestoneNotCompleted(
                f"milestone {quoted(milestone.title)} is not completed, so it is open already"
            )
        self._record(
            MilestoneReopened(
                occurred_at=now, goal_id=goal.goal_id, milestone_id=milestone.milestone_id
            )
        )

    def remove_milestone(self, command: RemoveMilestone, now: datetime) -> None:
        """Take a milestone off the goal; its events stay in the history."""
        goal, milestone = self._milestone(command.goal_id, command.milestone_id, "remove")
        self._record(
            MilestoneRemoved(
                occurred_at=now, goal_id=goal.goal_id, milestone_id=milestone.milestone_id
            )
        )

    def record_check_in(self, command: RecordCheckIn, now: datetime) -> None:
        """Record progress on an open goal at `now`: when the client made it (see `domain.rules.timing`)."""
        goal = self._open_goal(command.goal_id, "check in on")
        check_in_id = require_text(command.check_in_id, "the check-in id")
        if any(check_in.check_in_id == check_in_id for check_in in goal.check_ins):
            raise IdAlreadyUsed(f"check-in id {check_in_id} is already used on goal {goal.label}")
        if command.corrects is not None and not any(
            c.check_in_id == command.corrects for c in goal.check_ins
        ):
            raise CheckInNotFound(
                f"goal {goal.label} has no check-in {command.corrects} to correct"
            )
        check_confidence(command.confidence, "confidence in a check-in")
        self._check_check_in_value(goal, command.value)
        self._record(
            CheckInRecorded(
                occurred_at=now,
                goal_id=goal.goal_id,
                check_in_id=check_in_id,
                value=command.value,
                confidence=command.confidence,
                note=(command.note or "").strip(),
                corrects=command.corrects,
            )
        )

    def _check_check_in_value(self, goal: Goal, value: float | None) -> None:
        measure = goal.terms.measure
        if value is None:
            if not measure.is_binary:
                raise CheckInValueRequired(
                    f"goal {goal.label} is measured in {measure.name!r}: give its current value"
                )
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise CheckInValueInvalid(f"a check-in value is a finite number, got {value!r}")
        if measure.is_binary and value not in (0, 1):
            raise CheckInValueInvalid(
                f"goal {goal.label} is done or not done: give 1 (done), 0 (not yet) or no value"
            )

    def _open_goal(self, goal_id: str, doing: str) -> Goal:
        goal = self._goal(goal_id)
        self._check_open(goal, doing)
        return goal

    def _milestone(self, goal_id: str, milestone_id: str, doing: str) -> tuple[Goal, Milestone]:
        goal = self._open_goal(goal_id, f"{doing} a milestone of")
        milestone = goal.milestones.get(milestone_id)
        if milestone is None or milestone.status == "removed":
            raise MilestoneNotFound(f"goal {goal.label} has no milestone {milestone_id}")
        return goal, milestone

    @applies(MilestoneAdded)
    def _milestone_added(self, event: MilestoneAdded) -> None:
        self.goals[event.goal_id].milestones[event.milestone_id] = Milestone(
            milestone_id=event.milestone_id,
            title=event.title,
            estimate_minutes=event.estimate_minutes,
            added_at=event.occurred_at,
        )

    @applies(MilestoneCompleted)
    def _milestone_completed(self, event: MilestoneCompleted) -> None:
        milestone = self.goals[event.goal_id].milestones[event.milestone_id]
        milestone.status, milestone.completed_at = "completed", event.occurred_at

    @applies(MilestoneReopened)
    def _milestone_reopened(self, event: MilestoneReopened) -> None:
        milestone = self.goals[event.goal_id].milestones[event.milestone_id]
        milestone.status, milestone.completed_at = "open", None

    @applies(MilestoneRemoved)
    def _milestone_removed(self, event: MilestoneRemoved) -> None:
        self.goals[event.goal_id].milestones[event.milestone_id].status = "removed"

    @applies(CheckInRecorded)
    def _check_in_recorded(self, event: CheckInRecorded) -> None:
        self.goals[event.goal_id].check_ins.append(
            CheckIn(
                check_in_id=event.check_in_id,
                value=event.value,
                confidence=event.confidence,
                note=event.note,
                occurred_at=event.occurred_at,
                corrects=event.corrects,
            )
        )
