"""Outbox slots: a sweep finds its messages by an indexed column, and a message may carry many checks.

A sweep's status counted its messages by `kwargs->>'slot'`, which no index
covers: every status read scanned the whole outbox (every message ever
queued). `slot` holds the scheduler slot (or sweep slot) a message belongs
to, indexed with its actor. A sweep now queues one message per chunk of
clients; `items` is how many clients' checks a message carries (1 for
every message before), so the status still counts checks, not messages.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("slot", sa.String(100)))
        batch.add_column(sa.Column("items", sa.Integer, nullable=False, server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE outbox SET slot = kwargs->>'slot' WHERE kwargs ? 'slot'")
    else:
        op.execute("UPDATE outbox SET slot = json_extract(kwargs, '$.slot')")
    op.create_index("ix_outbox_slot", "outbox", ["actor_name", "slot"])


def downgrade() -> None:
    op.drop_index("ix_outbox_slot", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("items")
        batch.drop_column("slot")
