"""Goal life-cycle rules: pause, resume, achieve, drop and reopen (see `domain.goal` for the states)."""

from __future__ import annotations

from datetime import datetime

from domain.commands import AchieveGoal, DropGoal, PauseGoal, ReopenGoal, ResumeGoal
from domain.errors import GoalNotActive, GoalNotClosed, GoalNotPaused
from domain.events import GoalAchieved, GoalDropped, GoalPaused, GoalReopened, GoalResumed
from domain.goal import ACHIEVED, ACTIVE, DROPPED, PAUSED, REOPENABLE_STATUSES, Goal, Pause
from domain.rules.base import PlanRules, applies
from domain.text import require_text


class LifecycleRules(PlanRules):
    """Moving a goal through its statuses."""

    def pause_goal(self, command: PauseGoal, now: datetime) -> None:
        """Pause an active goal: while paused it is neither stalled nor overdue."""
        goal = self._changeable_goal(command.goal_id, "pause")
        if goal.status != ACTIVE:
            raise GoalNotActive(f"goal {goal.label} is already paused")
        self._record(
            GoalPaused(occurred_at=now, goal_id=goal.goal_id, reason=(command.reason or "").strip())
        )

    def resume_goal(self, command: ResumeGoal, now: datetime) -> None:
        """Resume a paused goal."""
        goal = self._changeable_goal(command.goal_id, "resume")
        if goal.status != PAUSED:
            raise GoalNotPaused(f"goal {goal.label} is not paused, so there is nothing to resume")
        self._record(GoalResumed(occurred_at=now, goal_id=goal.goal_id))

    def achieve_goal(self, command: AchieveGoal, now: datetime) -> None:
        """Mark an active or paused goal achieved: a win."""
        goal = self._changeable_goal(command.goal_id, "achieve")
        self._record(
            GoalAchieved(occurred_at=now, goal_id=goal.goal_id, note=(command.note or "").strip())
        )

    def drop_goal(self, command: DropGoal, now: datetime) -> None:
        """Drop an active or paused goal, saying why; goals that follow it stay, for re-alignment to flag."""
        goal = self._changeable_goal(command.goal_id, "drop")
        reason = require_text(command.reason, f"the reason for dropping goal {goal.label}")
        self._record(GoalDropped(occurred_at=now, goal_id=goal.goal_id, reason=reason))

    def reopen_goal(self, command: ReopenGoal, now: datetime) -> None:
        """Start a new life-cycle of an achieved or dropped goal; its history is kept (not while a pivot is open)."""
        goal = self._goal(command.goal_id)
        self._check_no_open_pivot("reopening a goal")
        if goal.status not in REOPENABLE_STATUSES:
            if goal.replaced_by is not None:
                hint = f"it was replaced by goal {goal.replaced_by}; work on that one"
            else:
                hint = f"it is {goal.status}, not achieved or dropped"
            raise GoalNotClosed(f"cannot reopen goal {goal.label}: {hint}")
        reason = require_text(command.reason, f"the reason for reopening goal {goal.label}")
        self._record(
            GoalReopened(
                occurred_at=now, goal_id=goal.goal_id, lifecycle=goal.lifecycle + 1, reason=reason
            )
        )

    def _changeable_goal(self, goal_id: str, doing: str) -> Goal:
        goal = self._goal(goal_id)
        self._check_open(goal, doing)
        self._check_not_under_review(goal)
        return goal

    @applies(GoalPaused)
    def _goal_paused(self, event: GoalPaused) -> None:
        goal = self.goals[event.goal_id]
        goal.status = PAUSED
        goal.pauses.append(Pause(started_at=event.occurred_at))

    @applies(GoalResumed)
    def _goal_resumed(self, event: GoalResumed) -> None:
        goal = self.goals[event.goal_id]
        goal.status = ACTIVE
        goal.pauses[-1].ended_at = event.occurred_at

    @applies(GoalAchieved)
    def _goal_achieved(self, event: GoalAchieved) -> None:
        self.goals[event.goal_id].close(ACHIEVED, event.occurred_at, event.note)

    @applies(GoalDropped)
    def _goal_dropped(self, event: GoalDropped) -> None:
        self.goals[event.goal_id].close(DROPPED, event.occurred_at, event.reason)

    @applies(GoalReopened)
    def _goal_reopened(self, event: GoalReopened) -> None:
        self.goals[event.goal_id].reopen(event.lifecycle, event.occurred_at)
