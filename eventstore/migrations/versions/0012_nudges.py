"""Nudges: the organisation's nudge policy (off until it opts in).

`organisation_policies.nudges` holds `{enabled, quiet_days, min_days_between}`
as JSON; NULL reads as the defaults (disabled), so existing organisations are
not nudged until an admin sets it. The nudges themselves are `NudgeDue` events.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = JSONB() if op.get_bind().dialect.name == "postgresql" else sa.JSON()
    op.add_column("organisation_policies", sa.Column("nudges", json, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation_policies") as batch:
        batch.drop_column("nudges")
