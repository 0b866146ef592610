"""The event of a re-alignment check: what was flagged, when, and under which thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.alignment_policy import AlignmentPolicy, Finding
from domain.events.base import Event


@dataclass(frozen=True, kw_only=True)
class AlignmentChecked(Event):
    """A scheduled re-alignment check judged the plan; `findings` is empty when all is well.

    The policy is kept with the findings so an auditor sees why each was
    flagged even after the organisation changed its thresholds.
    """

    personal: ClassVar[tuple[str, ...]] = ("findings",)

    check_id: str
    findings: tuple[Finding, ...]
    policy: AlignmentPolicy
