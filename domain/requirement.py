"""A requirement of the destination role, and the report of how many a destination carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.text import quoted

MIN_REQUIREMENTS = 5
MAX_REQUIREMENTS = 10


@dataclass
class Requirement:
    """A skill, experience, achievement, relationship or credential someone in the destination role has."""

    requirement_id: str
    kind: str
    description: str
    added_at: datetime
    retired_at: datetime | None = None
    retire_reason: str = ""

    @property
    def is_active(self) -> bool:
        """True until the requirement is retired."""
        return self.retired_at is None

    @property
    def label(self) -> str:
        """How messages name the requirement: its description and id."""
        return f"{quoted(self.description)} (id {self.requirement_id})"


@dataclass(frozen=True)
class RequirementsStatus:
    """Whether the destination carries its 5–10 active requirements yet.

    Fewer than 5 is allowed while the coach and client are still drafting, and
    is reported rather than refused; an 11th active requirement is refused.
    """

    active: int

    @property
    def state(self) -> str:
        """ "drafting" below the minimum, "complete" within 5–10."""
        return "drafting" if self.active < MIN_REQUIREMENTS else "complete"

    @property
    def missing(self) -> int:
        """How many more requirements the destination needs to reach the minimum."""
        return max(0, MIN_REQUIREMENTS - self.active)

    def __str__(self) -> str:
        return f"{self.state}: {self.active} of {MIN_REQUIREMENTS}–{MAX_REQUIREMENTS}"
