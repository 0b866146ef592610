"""Background work: the transactional outbox, scheduler time slots and failed jobs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    json = JSONB() if postgres else sa.JSON()
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger if postgres else sa.Integer,
            sa.Identity() if postgres else None,
            primary_key=True,
        ),
        sa.Column("message_id", sa.String(36), nullable=False, unique=True),
        sa.Column("queue_name", sa.String(100), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("kwargs", json, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["id"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "scheduler_ticks",
        sa.Column("job", sa.String(100), primary_key=True),
        sa.Column("slot", sa.String(100), primary_key=True),
        sa.Column(
            "fired_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("fired_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "organisation_policies",
        sa.Column("organisation_id", sa.String(100), primary_key=True),
        sa.Column("alignment", json, nullable=False),
        sa.Column("digest_kinds", json, nullable=False),
    )
    op.create_table(
        "failed_jobs",
        sa.Column("message_id", sa.String(36), primary_key=True),
        sa.Column("queue_name", sa.String(100), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("kwargs", json, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("retries", sa.Integer, nullable=False),
        sa.Column(
            "failed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("redriven_at", sa.DateTime(timezone=True)),
    )

    op.create_table(
        "digest_runs",
        sa.Column("run_id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period_key", sa.String(40), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("clients_finished_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("organisation_id", "kind", "period_key", name="uq_digest_runs_period"),
    )
    op.create_table(
        "digest_run_items",
        sa.Column("run_id", sa.String(36), primary_key=True),
        sa.Column("subject", sa.String(120), primary_key=True),  # "client:<id>" or "coach:<id>"
        sa.Column("status", sa.String(20), nullable=False),  # pending | done | failed
        sa.Column("error", sa.Text),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_table(
        "digests",
        sa.Column("digest_id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period_key", sa.String(40), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("content", json, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.UniqueConstraint(
            "organisation_id", "subject", "kind", "period_key", name="uq_digests_period"
        ),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("endpoint_id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False, index=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("events", json, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("delivery_id", sa.String(36), primary_key=True),
        sa.Column("endpoint_id", sa.String(36), nullable=False),
        sa.Column("event_key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("payload", json, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),  # pending | delivered | failed
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("endpoint_id", "event_key", name="uq_webhook_deliveries_event"),
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("delivery_id", sa.String(36), primary_key=True),
        sa.Column("attempt", sa.Integer, primary_key=True),
        sa.Column(
            "attempted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("webhook_attempts")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
    op.drop_table("digests")
    op.drop_table("digest_run_items")
    op.drop_table("digest_runs")
    op.drop_table("failed_jobs")
    op.drop_table("organisation_policies")
    op.drop_table("scheduler_ticks")
    op.drop_table("outbox")
