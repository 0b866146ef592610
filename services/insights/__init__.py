"""Cohort insight for a firm: goal outcomes per requirement kind and template, review outcomes,
momentum and attention across clients and a range of days.

Read from the insight fact rows the insights projection keeps (never by
scanning events), brought current first: the follower keeps them current, and a
read tops them up with what it has not applied yet. See `services.insights.goals` and `.figures`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from projections.insight_tables import LIVE_INSIGHTS, InsightTables
from projections.insights import InsightsProjection
from projections.runner import ProjectionRunner
from services.insights.scope import Scope
from services.insights.snapshot import compute


class Insights:
    """Answers the cohort insight of an organisation (or of one coach's clients)."""

    def __init__(
        self,
        engine: sa.Engine,
        projections: ProjectionRunner,
        tables: InsightTables = LIVE_INSIGHTS,
    ):
        self._engine = engine
        self._projections = projections
        self._tables = tables

    def report(
        self,
        organisation_id: str,
        start: date,
        end: date,
        *,
        stall_days: int = 21,
        coach_id: str | None = None,
        template_id: str | None = None,
        cohort: str | None = None,
    ) -> dict:
        """The insight over goals set and decisions recorded from `start` to `end`, judged as of `end`."""
        self._projections.refresh_one(InsightsProjection.name)
        return insight_over(
            self._engine,
            organisation_id,
            start,
            end,
            stall_days=stall_days,
            coach_id=coach_id,
            template_id=template_id,
            cohort=cohort,
            tables=self._tables,
        )


def insight_over(
    engine: sa.Engine,
    organisation_id: str,
    start: date,
    end: date,
    *,
    stall_days: int = 21,
    coach_id: str | None = None,
    template_id: str | None = None,
    cohort: str | None = None,
    tables: InsightTables = LIVE_INSIGHTS,
) -> dict:
    """The insight from the fact rows as they stand (the digests read it so, after the follower)."""
    scope = Scope(
        organisation_id,
        start.toordinal(),
        end.toordinal(),
        stall_days,
        coach_id,
        template_id,
        cohort,
    )
    return {
        "from": start,
        "to": end,
        "stall_days": stall_days,
        "filters": {"coach_id": coach_id, "template_id": template_id, "cohort": cohort},
        **compute(engine, tables, scope),
    }
