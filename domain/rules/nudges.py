"""Nudge rules: record the nudge a quiet client is due on a day, at most one per (client, day)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from domain.commands import RecordNudge
from domain.errors import InvalidNudgePolicy
from domain.events import NudgeDue
from domain.nudges import NudgePolicy, due_nudge
from domain.rules.base import PlanRules, applies

_NUDGE_NAMESPACE = uuid.UUID("8a1d6c0e-4f35-4b7a-9e2d-61c3b5f0a7d4")


def nudge_id(client_id: str, day: date) -> str:
    """The nudge's id, from client and day: the same day names the same nudge."""
    return str(uuid.uuid5(_NUDGE_NAMESPACE, f"{client_id}/{day.isoformat()}"))


def checked_nudge_policy(policy: NudgePolicy | dict) -> NudgePolicy:
    """The command's policy, from stored data if need be, after checking its settings."""
    if isinstance(policy, NudgePolicy):
        return policy.checked()
    if isinstance(policy, dict):
        return NudgePolicy.from_dict(policy)
    raise InvalidNudgePolicy(f"a nudge policy is an object of settings, got {policy!r}")


class NudgeRules(PlanRules):
    """Recording nudges the daily sweep finds due."""

    def record_nudge(self, command: RecordNudge, now: datetime) -> None:
        """Record the nudge due on `command.day`, if any (`domain.nudges.due_nudge` decides).

        Nothing is recorded when none is due, nor when one was recorded for
        the day already: `min_days_between` is at least one day.
        """
        self._check_enrolled()
        if not isinstance(command.day, date) or isinstance(command.day, datetime):
            raise InvalidNudgePolicy(f"a nudge names a day (YYYY-MM-DD), got {command.day!r}")
        nudge = due_nudge(self, command.day, checked_nudge_policy(command.policy))
        if nudge is None:
            return
        self._record(
            NudgeDue(
                occurred_at=now,
                nudge_id=nudge_id(self.client_id, command.day),
                day=command.day,
                goal_id=nudge.goal_id,
                goal_statement=nudge.goal_statement,
                milestone_id=nudge.milestone_id,
                milestone_title=nudge.milestone_title,
                quiet_days=nudge.quiet_days,
            )
        )

    @applies(NudgeDue)
    def _nudge_due(self, event: NudgeDue) -> None:
        if self.last_nudge_on is None or event.day > self.last_nudge_on:
            self.last_nudge_on = event.day
