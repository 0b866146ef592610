"""Re-alignment rules: record one scheduled check's findings in the client's stream, once per check id."""

from __future__ import annotations

from datetime import datetime

from domain.alignment import AlignmentCheck, AlignmentPolicy, check_alignment
from domain.commands import RecordAlignmentCheck
from domain.errors import AlignmentCheckAlreadyRecorded, InvalidAlignmentPolicy
from domain.events import AlignmentChecked
from domain.rules.base import PlanRules, applies
from domain.text import require_text


def checked_policy(policy: AlignmentPolicy | dict) -> AlignmentPolicy:
    """The command's policy, from stored data if need be, after checking its thresholds."""
    if isinstance(policy, AlignmentPolicy):
        return policy.checked()
    if isinstance(policy, dict):
        return AlignmentPolicy.from_dict(policy)
    raise InvalidAlignmentPolicy(f"an alignment policy is an object of thresholds, got {policy!r}")


class AlignmentRules(PlanRules):
    """Recording re-alignment checks."""

    def record_alignment_check(self, command: RecordAlignmentCheck, now: datetime) -> None:
        """Judge the plan on the client's today and record the findings (possibly none) as one event.

        A check id already recorded is refused, so a redelivered message cannot
        record the same scheduled check twice.
        """
        self._check_enrolled()
        check_id = require_text(command.check_id, "the alignment check id")
        if check_id in self.alignment_check_ids:
            raise AlignmentCheckAlreadyRecorded(
                f"re-alignment check {check_id} is already recorded for this client; nothing to do"
            )
        policy = checked_policy(command.policy)
        findings = check_alignment(self, self._today(now), policy)
        self._record(
            AlignmentChecked(occurred_at=now, check_id=check_id, findings=findings, policy=policy)
        )

    @applies(AlignmentChecked)
    def _alignment_checked(self, event: AlignmentChecked) -> None:
        self.alignment_check_ids.add(event.check_id)
        self.last_alignment_check = AlignmentCheck(
            event.check_id, event.occurred_at, event.findings
        )
