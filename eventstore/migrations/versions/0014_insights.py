"""Cohort insights: the fact rows the insights projection keeps (`projections.insight_tables`).

One row per client (its folded state, cohort, template and the
time-independent attention facts), per goal, per goal and requirement kind
(the goal's facts again, so figures per kind need no join),
per review decision and per client and day with wins. Days are day numbers.
The projection fills them from the first event on its first run.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _id(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.String(100), **kwargs)


def kind_column() -> sa.Column:
    return sa.Column("kind", sa.String(20), primary_key=True)


def goal_columns() -> list[sa.Column]:
    """A goal's facts, in the goals table and again in the goal-kinds table."""
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


def upgrade() -> None:
    json = JSONB() if op.get_bind().dialect.name == "postgresql" else sa.JSON()
    op.create_table(
        "insight_clients",
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
        sa.Column("state", json, nullable=False),
    )
    op.create_index(
        "ix_insight_clients_organisation", "insight_clients", ["organisation_id", "coach_id"]
    )
    for table, kind in (("insight_goals", []), ("insight_goal_kinds", [kind_column()])):
        op.create_table(
            table,
            _id("client_id", primary_key=True),
            _id("goal_id", primary_key=True),
            *kind,
            *goal_columns(),
        )
        op.create_index(f"ix_{table}_organisation", table, ["organisation_id", "set_day"])
    op.create_table(
        "insight_decisions",
        _id("client_id", primary_key=True),
        _id("review_id", primary_key=True),
        _id("goal_id", primary_key=True),
        _id("organisation_id", nullable=False),
        _id("coach_id", nullable=False),
        sa.Column("cohort", sa.String(7), nullable=True),
        _id("template_id", nullable=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("day", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_insight_decisions_organisation", "insight_decisions", ["organisation_id", "day"]
    )
    op.create_table(
        "insight_win_days",
        _id("client_id", primary_key=True),
        sa.Column("day", sa.Integer, primary_key=True),
        _id("organisation_id", nullable=False),
        sa.Column("wins", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_insight_win_days_organisation", "insight_win_days", ["organisation_id", "day"]
    )


def downgrade() -> None:
    for table in ("win_days", "decisions", "goal_kinds", "goals", "clients"):
        op.drop_table(f"insight_{table}")
