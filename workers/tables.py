"""The background-work tables as SQLAlchemy Core sees them (made by the migrations)."""

import sqlalchemy as sa

from eventstore.schema import JsonDocument

metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("message_id", sa.String(36), nullable=False, unique=True),
    sa.Column("queue_name", sa.String(100), nullable=False),
    sa.Column("actor_name", sa.String(100), nullable=False),
    sa.Column("kwargs", JsonDocument, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
)

scheduler_ticks = sa.Table(
    "scheduler_ticks",
    metadata,
    sa.Column("job", sa.String(100), primary_key=True),
    sa.Column("slot", sa.String(100), primary_key=True),
    sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("fired_by", sa.String(200), nullable=False),
)

failed_jobs = sa.Table(
    "failed_jobs",
    metadata,
    sa.Column("message_id", sa.String(36), primary_key=True),
    sa.Column("queue_name", sa.String(100), nullable=False),
    sa.Column("actor_name", sa.String(100), nullable=False),
    sa.Column("kwargs", JsonDocument, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("retries", sa.Integer, nullable=False),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("redriven_at", sa.DateTime(timezone=True)),
)

organisation_policies = sa.Table(
    "organisation_policies",
    metadata,
    sa.Column("organisation_id", sa.String(100), primary_key=True),
    sa.Column("alignment", JsonDocument, nullable=False),
    sa.Column("digest_kinds", JsonDocument, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
)

digest_runs = sa.Table(
    "digest_runs",
    metadata,
    sa.Column("run_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(40), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("clients_finished_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false()),
)

digest_run_items = sa.Table(
    "digest_run_items",
    metadata,
    sa.Column("run_id", sa.String(36), primary_key=True),
    sa.Column("subject", sa.String(120), primary_key=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

digests = sa.Table(
    "digests",
    metadata,
    sa.Column("digest_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("subject", sa.String(120), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(40), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("content", JsonDocument, nullable=False),
    sa.Column("markdown", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false()),
)

webhook_endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    sa.Column("endpoint_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("secret", sa.String(200), nullable=False),
    sa.Column("events", JsonDocument, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("delivery_id", sa.String(36), primary_key=True),
    sa.Column("endpoint_id", sa.String(36), nullable=False),
    sa.Column("event_key", sa.String(200), nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("payload", JsonDocument, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("delivery_id", sa.String(36), primary_key=True),
    sa.Column("attempt", sa.Integer, primary_key=True),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.Text),
)
