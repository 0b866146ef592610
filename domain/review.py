"""A quarterly review as the plan holds it: the goals it froze and the decision on each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ReviewDecision:
    """Keep, tweak, replace, achieved or dropped for one reviewed goal, with the coach's note."""

    decision: str
    note: str
    decided_at: datetime
    replacement_goal_id: str | None = None


@dataclass
class Review:
    """A review: `goal_ids` were frozen when it started; goals set later wait for the next one."""

    review_id: str
    goal_ids: tuple[str, ...]
    started_at: datetime
    decisions: dict[str, ReviewDecision] = field(default_factory=dict)
    completed_at: datetime | None = None
    summary: str = ""

    @property
    def is_open(self) -> bool:
        """True until the review is completed."""
        return self.completed_at is None

    @property
    def undecided(self) -> tuple[str, ...]:
        """Ids of the reviewed goals that have no decision yet, in review order."""
        return tuple(goal_id for goal_id in self.goal_ids if goal_id not in self.decisions)
