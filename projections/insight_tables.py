"""The insight tables: compact fact rows per client, goal, requirement kind, review decision and win day.

The cohort insight (`services.insights`) answers from these with SQL
aggregates, never by loading a view. Every table's key starts with the client
id, so the projection replaces a client's rows with one delete per table.
Days are day numbers (`date.toordinal()`): "days between" is integer
subtraction on PostgreSQL and SQLite alike. `insight_tables(prefix)` describes
the same layout under other names, so a check can rebuild into scratch copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eventstore.schema import JsonText
from projections.tables import metadata


@dataclass(frozen=True)
class InsightTables:
    """The tables the insights projection writes."""

    clients: sa.Table
    goals: sa.Table
    goal_kinds: sa.Table
    decisions: sa.Table
    win_days: sa.Table

    @property
    def all(self) -> tuple[sa.Table, ...]:
        return (self.clients, self.goals, self.goal_kinds, self.decisions, self.win_days)

    @property
    def facts(self) -> dict[str, sa.Table]:
        """The tables rewritten whole for a client on each batch, by role (`clients` is upserted)."""
        return {
            "goals": self.goals,
            "goal_kinds": self.goal_kinds,
            "decisions": self.decisions,
            "win_days": self.win_days,
        }


def _id(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.String(100), **kwargs)


def goal_columns() -> list[sa.Column]:
    """A goal's facts: kept per goal, and again per goal and requirement kind it serves (so the
    figures per kind read one table, with no join)."""
    return [
        _id("organisation_id", nullable=False),
        _id("coach_id", nullable=False),
        sa.Column("cohort", sa.String(7), nullable=True),
        _id("template_id", nullable=True),
        sa.Column("template_version", sa.Integer, nullable=True),
        sa.Column("template_name", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("set_day", sa.Integer, nullable=False),
        sa.Column("start_day", sa.Integer, nullable=False),
        sa.Column("due_day", sa.Integer, nullable=False),
        sa.Column("closed_day", sa.Integer, nullable=True),
        sa.Column("quiet_day", sa.Integer, nullable=False),
        sa.Column("paused_days", sa.Float, nullable=False),
    ]


def insight_tables(prefix: str = "", meta: sa.MetaData | None = None) -> InsightTables:
    """The insight tables, named `<prefix>insight_clients`, `<prefix>insight_goals` and so on."""
    meta = meta if meta is not None else sa.MetaData()
    name = f"{prefix}insight_"
    return InsightTables(
        clients=sa.Table(
            f"{name}clients",
            meta,
            _id("client_id", primary_key=True),
            _id("organisation_id", nullable=False),
            _id("coach_id", nullable=False),
            sa.Column("status", sa.String(20), nullable=False),
            sa.Column("cohort", sa.String(7), nullable=True),
            sa.Column("enrolled_day", sa.Integer, nullable=True),
            _id("template_id", nullable=True),
            sa.Column("falling_confidence", sa.Boolean, nullable=False),
            sa.Column("review_due_day", sa.Integer, nullable=True),
            sa.Column("critical_findings", sa.Integer, nullable=False),
            sa.Column("state", JsonText, nullable=False),
            sa.Index(f"ix_{name}clients_organisation", "organisation_id", "coach_id"),
        ),
        goals=sa.Table(
            f"{name}goals",
            meta,
            _id("client_id", primary_key=True),
            _id("goal_id", primary_key=True),
            *goal_columns(),
            sa.Index(f"ix_{name}goals_organisation", "organisation_id", "set_day"),
        ),
        goal_kinds=sa.Table(
            f"{name}goal_kinds",
            meta,
            _id("client_id", primary_key=True),
            _id("goal_id", primary_key=True),
            sa.Column("kind", sa.String(20), primary_key=True),
            *goal_columns(),
            sa.Index(f"ix_{name}goal_kinds_organisation", "organisation_id", "set_day"),
        ),
        decisions=sa.Table(
            f"{name}decisions",
            meta,
            _id("client_id", primary_key=True),
            _id("review_id", primary_key=True),
            _id("goal_id", primary_key=True),
            _id("organisation_id", nullable=False),
            _id("coach_id", nullable=False),
            sa.Column("cohort", sa.String(7), nullable=True),
            _id("template_id", nullable=True),
            sa.Column("decision", sa.String(20), nullable=False),
            sa.Column("day", sa.Integer, nullable=False),
            sa.Index(f"ix_{name}decisions_organisation", "organisation_id", "day"),
        ),
        win_days=sa.Table(
            f"{name}win_days",
            meta,
            _id("client_id", primary_key=True),
            sa.Column("day", sa.Integer, primary_key=True),
            _id("organisation_id", nullable=False),
            sa.Column("wins", sa.Integer, nullable=False),
            sa.Index(f"ix_{name}win_days_organisation", "organisation_id", "day"),
        ),
    )


LIVE_INSIGHTS = insight_tables(meta=metadata)
