"""Events of a career pivot: started (old and new destination), one decision per frozen item, completed or abandoned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events.base import Event
from domain.pivots import CarriedRequirement, ProposedRequirement
from domain.values import Destination


@dataclass(frozen=True, kw_only=True)
class PivotStarted(Event):
    """A pivot review began: the plan is reviewed against a new destination (a new role or industry).

    `goal_ids` (open goals) and `requirement_ids` (active requirements) froze
    what it decides; `proposed` lists the new destination's requirements and
    the last three fields the carry-over computed then (`domain.pivots`).
    The destination itself changes only when the pivot completes.
    """

    personal: ClassVar[tuple[str, ...]] = ("old", "new", "proposed")

    pivot_id: str
    old: Destination
    new: Destination
    goal_ids: tuple[str, ...]
    requirement_ids: tuple[str, ...]
    proposed: tuple[ProposedRequirement, ...] = ()
    carried: tuple[CarriedRequirement, ...] = ()
    stranded_goal_ids: tuple[str, ...] = ()
    uncovered_requirement_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PivotDecisionRecorded(Event):
    """The pivot decided a goal or a requirement (one of `goal_id`, `requirement_id`): keep, tweak, replace or drop.

    The consequence follows as its own events: for a goal GoalRefined,
    GoalSet + GoalReplaced or GoalDropped; for a requirement
    RequirementRevised, RequirementRetired + RequirementAdded or
    RequirementRetired. `becomes` names the proposed requirement a kept,
    tweaked or replaced requirement turns into.
    """

    personal: ClassVar[tuple[str, ...]] = ("note",)

    pivot_id: str
    decision: str
    goal_id: str | None = None
    requirement_id: str | None = None
    note: str = ""
    replacement_goal_id: str | None = None
    becomes: str | None = None


@dataclass(frozen=True, kw_only=True)
class PivotCompleted(Event):
    """Every frozen goal and requirement was decided; DestinationRevised and RequirementAdded came just before."""

    personal: ClassVar[tuple[str, ...]] = ("summary",)

    pivot_id: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class PivotAbandoned(Event):
    """The pivot was called off: the destination stays as it was (decisions already carried out stay too)."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    pivot_id: str
    reason: str = ""
