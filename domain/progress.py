"""Progress on a goal as the plan holds it: micro-milestones and append-only check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MILESTONE_NORM_MINUTES = (30, 60)
MILESTONE_LIMIT_MINUTES = (15, 120)


def milestone_guidance(estimate_minutes: int) -> str | None:
    """A gentle warning for a milestone within the hard limits but outside the 30–60 minute norm, else None."""
    low, high = MILESTONE_NORM_MINUTES
    if estimate_minutes < low:
        return (
            f"a {estimate_minutes}-minute milestone is shorter than the 30–60 minute norm: "
            "merge it with the next step if it is part of one"
        )
    if estimate_minutes > high:
        return (
            f"a {estimate_minutes}-minute milestone is longer than the 30–60 minute norm: "
            "split it so the client can finish one in a sitting"
        )
    return None


@dataclass
class Milestone:
    """A 30–60 minute step toward a goal; `status` is open, completed or removed."""

    milestone_id: str
    title: str
    estimate_minutes: int
    added_at: datetime
    status: str = "open"
    completed_at: datetime | None = None


@dataclass
class CheckIn:
    """One check-in exactly as recorded; see `Goal.effective_check_ins` for corrections applied."""

    check_in_id: str
    value: float | None
    confidence: int
    note: str
    occurred_at: datetime
    corrects: str | None = None


@dataclass(frozen=True)
class EffectiveCheckIn:
    """A check-in as it counts now: at its own time, with the values of its latest correction."""

    check_in_id: str
    occurred_at: datetime
    value: float | None
    confidence: int
    note: str
    corrected_by: str | None = None


def effective_check_ins(check_ins: list[CheckIn]) -> list[EffectiveCheckIn]:
    """Check-ins by when they occurred, each carrying the values of its latest correction.

    A correction takes the place of the check-in it corrects (following
    chains of corrections back to the original); it is not a new point in
    time. Check-ins at the same moment keep the order they were recorded in.
    """
    by_id = {check_in.check_in_id: check_in for check_in in check_ins}
    effective: dict[str, EffectiveCheckIn] = {}
    for check_in in check_ins:
        original = check_in
        while original.corrects is not None:
            original = by_id[original.corrects]
        effective[original.check_in_id] = EffectiveCheckIn(
            check_in_id=original.check_in_id,
            occurred_at=original.occurred_at,
            value=check_in.value,
            confidence=check_in.confidence,
            note=check_in.note,
            corrected_by=None if check_in is original else check_in.check_in_id,
        )
    return sorted(effective.values(), key=lambda item: item.occurred_at)
