"""A career pivot as the plan holds it: old and new destination, what it froze, and the decision on each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.pivots import CarryOver, ProposedRequirement
from domain.values import Destination

OPEN, COMPLETED, ABANDONED = "open", "completed", "abandoned"


@dataclass
class PivotDecision:
    """Keep, tweak, replace or drop for one frozen goal or requirement, with the coach's note.

    `becomes` names the proposed requirement a kept, tweaked or replaced
    requirement turns into (so completion does not add it a second time).
    """

    decision: str
    note: str
    decided_at: datetime
    replacement_goal_id: str | None = None
    becomes: str | None = None


@dataclass
class Pivot:
    """A pivot review: `goal_ids` and `requirement_ids` were frozen when it started, each needs a decision."""

    pivot_id: str
    old: Destination
    new: Destination
    goal_ids: tuple[str, ...]
    requirement_ids: tuple[str, ...]
    proposed: tuple[ProposedRequirement, ...]
    carry_over: CarryOver
    started_at: datetime
    goal_decisions: dict[str, PivotDecision] = field(default_factory=dict)
    requirement_decisions: dict[str, PivotDecision] = field(default_factory=dict)
    closed_at: datetime | None = None
    status: str = OPEN
    close_note: str = ""

    @property
    def is_open(self) -> bool:
        """True until the pivot is completed or abandoned."""
        return self.status == OPEN

    @property
    def undecided_goals(self) -> tuple[str, ...]:
        """Frozen goals without a decision yet, in the order they were frozen."""
        return tuple(g for g in self.goal_ids if g not in self.goal_decisions)

    @property
    def undecided_requirements(self) -> tuple[str, ...]:
        """Frozen requirements without a decision yet, in plan order."""
        return tuple(r for r in self.requirement_ids if r not in self.requirement_decisions)

    @property
    def taken(self) -> frozenset[str]:
        """Ids of the proposed requirements a requirement decision turned a current requirement into."""
        return frozenset(
            d.becomes for d in self.requirement_decisions.values() if d.becomes is not None
        )

    def match_of(self, requirement_id: str) -> str | None:
        """The proposed requirement the carry-over matched to a current requirement, if any."""
        for item in self.carry_over.carried:
            if item.requirement_id == requirement_id:
                return item.new_requirement_id
        return None

    def proposal(self, requirement_id: str) -> ProposedRequirement | None:
        """The proposed requirement of that id, if the pivot lists one."""
        return next((p for p in self.proposed if p.requirement_id == requirement_id), None)
