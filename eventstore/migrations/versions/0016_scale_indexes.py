"""Indexes the scale bench (bench.scale) showed missing: a digest run's pending items.

Each chunk of a digest run asks whether any client item is still pending
before it hands over to the coach digests; without an index that question
reads every item of the run, so a run of N clients read about N²/100 rows.
The partial index holds only pending items, so the answer reads at most one.

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_digest_run_items_pending",
        "digest_run_items",
        ["run_id", "subject"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_digest_run_items_pending", table_name="digest_run_items")
