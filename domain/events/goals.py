"""Events of a goal's life: set, refined, paused, resumed, achieved, dropped, replaced, reopened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events.base import Event
from domain.values import FieldChange, GoalTerms, TermsPatch


@dataclass(frozen=True, kw_only=True)
class GoalSet(Event):
    """A SMART short-term goal was set; `replaces` names the goal it replaces, if any.

    Schema v2 nests the SMART terms and allows done/not-done goals; v1 held a
    metric in flat fields (see `domain.upcasters`).
    """

    schema_version: ClassVar[int] = 2
    personal: ClassVar[tuple[str, ...]] = ("terms",)

    goal_id: str
    terms: GoalTerms
    replaces: str | None = None


@dataclass(frozen=True, kw_only=True)
class GoalRefined(Event):
    """Some SMART terms of a goal were tweaked; `old` and `new` hold exactly the changed fields."""

    personal: ClassVar[tuple[str, ...]] = ("old", "new")

    goal_id: str
    old: TermsPatch
    new: TermsPatch

    @property
    def changes(self) -> tuple[FieldChange, ...]:
        """Each changed field with its old and new value, for history views."""
        old = self.old.fields_set()
        return tuple(
            FieldChange(name, old.get(name), new) for name, new in self.new.fields_set().items()
        )


@dataclass(frozen=True, kw_only=True)
class GoalPaused(Event):
    """Work on the goal stopped for now; while paused it is neither stalled nor overdue."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    goal_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class GoalResumed(Event):
    """Work on a paused goal started again."""

    goal_id: str


@dataclass(frozen=True, kw_only=True)
class GoalAchieved(Event):
    """The goal was reached: a win."""

    personal: ClassVar[tuple[str, ...]] = ("note",)

    goal_id: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class GoalDropped(Event):
    """The goal was abandoned, with the reason why."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    goal_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class GoalReplaced(Event):
    """The goal gave way to a better one, set just before in the same decision."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    goal_id: str
    replaced_by: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class GoalReopened(Event):
    """An achieved or dropped goal became active again: life-cycle `lifecycle` begins."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    goal_id: str
    lifecycle: int
    reason: str
