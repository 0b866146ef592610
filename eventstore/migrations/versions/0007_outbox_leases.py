"""Outbox leases: every relayed message is owned by its row until a worker finishes it.

`leased_until` is set when a message is relayed (and renewed while the
broker still holds it); `done_at` when a worker finished it (or gave up after
its last retry); `broker_ref` is the broker's own id of the latest copy (Redis
keys messages by it); `requeues` counts how often the reconciler re-enqueued it.
Rows relayed before this revision are taken as done.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("leased_until", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("done_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("broker_ref", sa.String(64)))
        batch.add_column(sa.Column("requeues", sa.Integer, nullable=False, server_default="0"))
    op.execute("UPDATE outbox SET done_at = sent_at WHERE sent_at IS NOT NULL")
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["leased_until"],
        postgresql_where=sa.text("done_at IS NULL"),
        sqlite_where=sa.text("done_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("requeues")
        batch.drop_column("broker_ref")
        batch.drop_column("done_at")
        batch.drop_column("leased_until")
