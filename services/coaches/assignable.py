"""The one rule on naming a coach: an active coach of the caller's organisation.

Enrolling a client, reassigning one and issuing a coach key all pass through
`require_assignable`, so a typo in a coach id is a 422 instead of a new coach
nobody manages. It reads on the connection it is given, so a caller that
writes afterwards in the same transaction checks and writes together.
"""

from __future__ import annotations

import sqlalchemy as sa

from services.coaches.records import CoachInactive, UnknownCoach
from services.coaches.tables import coaches

_ACTIVE = sa.select(coaches.c.active).where(
    coaches.c.organisation_id == sa.bindparam("organisation_id"),
    coaches.c.id == sa.bindparam("coach_id"),
)


def require_assignable(
    conn: sa.Connection, organisation_id: str, coach_id: str, field: str = "coach_id"
) -> None:
    """Nothing when `coach_id` is an active coach of the organisation; UnknownCoach or CoachInactive else."""
    active = conn.execute(
        _ACTIVE, {"organisation_id": organisation_id, "coach_id": coach_id}
    ).scalar_one_or_none()
    if active is None:
        raise UnknownCoach(
            f"this organisation has no coach {coach_id!r}: create it with POST /v1/coaches "
            "or name one of GET /v1/coaches",
            field,
        )
    if not active:
        raise CoachInactive(
            f"coach {coach_id!r} is inactive: reactivate them (PATCH /v1/coaches/{coach_id}) "
            "or name an active coach",
            field,
        )


class CoachRule:
    """`require_assignable` on an engine of its own: what the career-plan service is given to call."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def __call__(self, organisation_id: str, coach_id: str, field: str = "coach_id") -> None:
        with self._engine.connect() as conn:
            require_assignable(conn, organisation_id, coach_id, field)
