"""Events of progress on a goal: micro-milestones and check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events.base import Event


@dataclass(frozen=True, kw_only=True)
class MilestoneAdded(Event):
    """A 30–60 minute step toward a goal was planned."""

    personal: ClassVar[tuple[str, ...]] = ("title",)

    goal_id: str
    milestone_id: str
    title: str
    estimate_minutes: int


@dataclass(frozen=True, kw_only=True)
class MilestoneCompleted(Event):
    """A milestone was done: a win."""

    goal_id: str
    milestone_id: str


@dataclass(frozen=True, kw_only=True)
class MilestoneReopened(Event):
    """A completed milestone turned out not to be done."""

    goal_id: str
    milestone_id: str


@dataclass(frozen=True, kw_only=True)
class MilestoneRemoved(Event):
    """A milestone is no longer part of the goal."""

    goal_id: str
    milestone_id: str


@dataclass(frozen=True, kw_only=True)
class CheckInRecorded(Event):
    """Progress on a goal: a metric value, confidence 1–10 and a note.

    Check-ins are never changed; `corrects` names an earlier check-in of the
    same goal whose value, confidence and note this one replaces.
    `occurred_at` is when the client made the progress.
    """

    personal: ClassVar[tuple[str, ...]] = ("note",)

    goal_id: str
    check_in_id: str
    value: float | None
    confidence: int
    note: str = ""
    corrects: str | None = None
