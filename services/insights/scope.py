"""What a cohort insight covers (organisation, range, filters), and the helpers its figures share."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Scope:
    """An organisation, a range of days (day numbers, both ends included) and the filters."""

    organisation_id: str
    start: int
    end: int
    stall_days: int = 21
    coach_id: str | None = None
    template_id: str | None = None
    cohort: str | None = None


def filters(table: sa.Table, scope: Scope) -> list:
    """SQL: the table's rows of the organisation that pass the scope's filters."""
    found = [table.c.organisation_id == scope.organisation_id]
    for name in ("coach_id", "template_id", "cohort"):
        if (value := getattr(scope, name)) is not None:
            found.append(table.c[name] == value)
    return found


def share(part: int, whole: int) -> float | None:
    """part / whole to 4 places (None for an empty whole)."""
    return round(part / whole, 4) if whole else None
