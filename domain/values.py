"""Value objects of a career plan: a destination, a SMART goal's terms and their parts.

Frozen dataclasses, so events can carry them and plans compare with `==`.
Sequences are kept as tuples whatever the caller passed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

REQUIREMENT_KINDS = ("skill", "experience", "achievement", "relationship", "credential")
GOAL_CATEGORIES = ("skill", "experience", "credibility", "relationships")
REVIEW_DECISIONS = ("keep", "tweak", "replace", "achieved", "dropped")
PIVOT_DECISIONS = ("keep", "tweak", "replace", "drop")


@dataclass(frozen=True)
class Destination:
    """The long-term career goal: 1–2 sentences naming role, industry and impact, and a horizon."""

    statement: str
    role: str
    industry: str
    impact: str
    horizon: date


@dataclass(frozen=True)
class Measure:
    """How a goal is measured: a metric moving from baseline to target, or done / not done.

    A done/not-done goal has no baseline and no target; `name` then states
    what "done" means ("certificate received").
    """

    name: str
    baseline: float | None = None
    target: float | None = None
    unit: str = ""

    @classmethod
    def metric(cls, name: str, baseline: float, target: float, unit: str) -> Measure:
        """A metric goal, e.g. `Measure.metric("modules completed", 0, 10, "modules")`."""
        return cls(name=name, baseline=baseline, target=target, unit=unit)

    @classmethod
    def done(cls, criterion: str) -> Measure:
        """A done/not-done goal whose `criterion` says what counts as done."""
        return cls(name=criterion)

    @property
    def is_binary(self) -> bool:
        """True for a done/not-done goal."""
        return self.baseline is None and self.target is None


@dataclass(frozen=True)
class Contribution:
    """A goal serving one requirement, and how it leads toward the destination."""

    requirement_id: str
    how_it_leads: str


@dataclass(frozen=True)
class GoalTerms:
    """The SMART terms of a goal: specific, measurable, achievable, relevant, time-bound.

    `follows` names the goals this one follows in a chain.
    """

    statement: str
    category: str
    measure: Measure
    confidence: int
    serves: tuple[Contribution, ...]
    start_on: date
    due_on: date
    follows: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "serves", tuple(self.serves))
        object.__setattr__(self, "follows", tuple(self.follows))

    def patched(self, patch: TermsPatch) -> GoalTerms:
        """These terms with the patch's fields applied."""
        return GoalTerms(**{**self.as_dict(), **patch.fields_set()})

    def as_dict(self) -> dict[str, Any]:
        """Field name to value, without copying nested values."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, kw_only=True)
class TermsPatch:
    """Some SMART fields of a goal; a field left None is not part of the patch."""

    statement: str | None = None
    category: str | None = None
    measure: Measure | None = None
    confidence: int | None = None
    serves: tuple[Contribution, ...] | None = None
    start_on: date | None = None
    due_on: date | None = None
    follows: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("serves", "follows"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, tuple(getattr(self, name)))

    def fields_set(self) -> dict[str, Any]:
        """Field name to value for the fields in the patch."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a refinement or revision: its name, old and new value."""

    field: str
    old: Any
    new: Any
