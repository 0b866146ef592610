"""The cohort section of a coach's (or an organisation's) digest: the cohort insight over the digest's period.

The figures are the cohort insight's (`services.insights`), for the goals set
and the review decisions recorded within the period, judged as of its last
day, for the coach's clients (or the organisation's): so a digest shows the
same numbers `GET /v1/insights?from=<start>&to=<end>` answers.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from services.insights import insight_over


def cohort_section(
    engine: sa.Engine, organisation_id: str, start: date, end: date, coach_id: str | None
) -> dict:
    """The JSON-safe cohort part of a digest: goals in all and per requirement kind, reviews, momentum."""
    insight = insight_over(engine, organisation_id, start, end, coach_id=coach_id)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        **{name: insight[name] for name in ("goals", "by_requirement_kind", "reviews", "momentum")},
    }
