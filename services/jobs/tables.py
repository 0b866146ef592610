"""The tables of background work: the outbox, the scheduler's fired slots, jobs that failed for good."""

import sqlalchemy as sa

from eventstore.schema import JsonDocument

metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(), primary_key=True
    ),
    sa.Column("message_id", sa.String(36), nullable=False, unique=True),
    sa.Column("queue_name", sa.String(100), nullable=False),
    sa.Column("actor_name", sa.String(100), nullable=False),
    sa.Column("kwargs", JsonDocument, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("leased_until", sa.DateTime(timezone=True)),  # relayed: owned until then
    sa.Column("done_at", sa.DateTime(timezone=True)),  # finished, or failed past its retries
    sa.Column("broker_ref", sa.String(64)),  # the broker's id of the latest copy (Redis)
    sa.Column("requeues", sa.Integer, nullable=False, server_default="0"),
    sa.Column("slot", sa.String(100)),  # the scheduler or sweep slot it belongs to, if any
    sa.Column("items", sa.Integer, nullable=False, server_default="1"),  # checks it carries
    sa.Index("ix_outbox_slot", "actor_name", "slot"),
    sa.Index(
        "ix_outbox_unsent",
        "id",
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    ),
    sa.Index(
        "ix_outbox_pending",
        "leased_until",
        postgresql_where=sa.text("done_at IS NULL"),
        sqlite_where=sa.text("done_at IS NULL"),
    ),
    sqlite_autoincrement=True,
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
    sa.Column(
        "failed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("redriven_at", sa.DateTime(timezone=True)),
)
