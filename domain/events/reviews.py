"""Events of the quarterly review: started, one decision per goal, completed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events.base import Event


@dataclass(frozen=True, kw_only=True)
class ReviewStarted(Event):
    """A review began; `goal_ids` froze the goals it reviews (those active or paused)."""

    review_id: str
    goal_ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ReviewDecisionRecorded(Event):
    """The review decided a goal: keep, tweak, replace, achieved or dropped, with a note.

    The decision's consequence follows as its own event (GoalRefined,
    GoalSet + GoalReplaced, GoalAchieved or GoalDropped).
    """

    personal: ClassVar[tuple[str, ...]] = ("note",)

    review_id: str
    goal_id: str
    decision: str
    note: str = ""
    replacement_goal_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewCompleted(Event):
    """Every reviewed goal was decided; the next review falls due one cadence later."""

    personal: ClassVar[tuple[str, ...]] = ("summary",)

    review_id: str
    summary: str = ""
