"""What the coach roster hands out (a coach) and what it refuses with (its errors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidValue, NotFound, RuleViolation
from eventstore.schema import utc


@dataclass(frozen=True)
class Coach:
    """A coach of an organisation; an inactive coach keeps their history but takes no new clients."""

    coach_id: str
    organisation_id: str
    name: str
    email: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


def coach_from_row(row) -> Coach:
    """A coach from a `coaches` row (or the dict of values just written)."""
    r = row if isinstance(row, dict) else row._mapping
    return Coach(
        r["id"],
        r["organisation_id"],
        r["name"],
        r["email"],
        bool(r["active"]),
        utc(r["created_at"]),
        utc(r["updated_at"]),
    )


class CoachNotFound(NotFound):
    """The organisation has no such coach (another organisation's coach is not found either): 404."""

    code = "coach_not_found"


class CoachNotAssignable(InvalidValue):
    """A command or key names a coach it may not: 422, naming the request field that did."""

    def __init__(self, message: str, field: str = "coach_id"):
        super().__init__(message)
        self.field = field


class UnknownCoach(CoachNotAssignable):
    code = "coach_not_found"


class CoachInactive(CoachNotAssignable):
    code = "coach_inactive"


class CoachExists(RuleViolation):
    code = "coach_exists"


class CoachEmailTaken(RuleViolation):
    code = "coach_email_taken"
