"""Webhook management: secret rotation with a grace period, deletion that keeps the log.

`previous_secret` (sealed like `secret`) stays valid until
`previous_secret_expires_at`: during that grace period every delivery is
signed with both secrets. `deleted_at` marks an endpoint deleted: it is gone
from the API and gets nothing more, its sealed secrets are wiped, and its
delivery log is kept. The index serves the delivery log, newest first.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.add_column(sa.Column("previous_secret", sa.String(200)))
        batch.add_column(sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
    op.create_index(
        "ix_webhook_deliveries_log", "webhook_deliveries", ["endpoint_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_log", table_name="webhook_deliveries")
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("previous_secret_expires_at")
        batch.drop_column("previous_secret")
