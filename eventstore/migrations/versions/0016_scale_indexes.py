"""Indexes the scale bench (bench.scale) showed missing: a digest run's pending items.

Each chunk of a digest run (50 clients) asks whether any client item is
still pending before it hands over to the coach digests. Counting them read
every item of the run each time, so a run of N clients read about N²/100
rows; the first pending client item in the order of (run, status, subject)
is one index entry (a partial index on the pending items alone would not do:
the planner then scans the table, expecting an early match among rows
whose pending ones all lie at its end).

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-05
"""

from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_digest_run_items_status", "digest_run_items", ["run_id", "status", "subject"]
    )


def downgrade() -> None:
    op.drop_index("ix_digest_run_items_status", table_name="digest_run_items")
