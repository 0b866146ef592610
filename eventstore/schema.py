"""The events table as SQLAlchemy Core sees it, for queries only.

Tables are made by the Alembic migrations in `eventstore/migrations`, never by
`metadata.create_all`; this description must match what the migrations build
(tests/integration/test_schema_matches_migrations.py checks it). The server
defaults migration 0001 gives `tx_id` and `recorded_at` are left undeclared:
the database fills them, and declaring them costs every append (see the test).
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

JsonDocument = sa.JSON().with_variant(JSONB(), "postgresql")
Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


events = sa.Table(
    "events",
    metadata,
    sa.Column("position", Position, sa.Identity(always=True), primary_key=True),
    # Writing transaction's id (PostgreSQL xid8 as bigint; 0 on SQLite, whose
    # single writer commits in position order). Readers use it as a watermark.
    sa.Column("tx_id", sa.BigInteger, nullable=False),
    sa.Column("stream_id", sa.String(200), nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("data", JsonDocument, nullable=False),
    sa.Column("metadata", JsonDocument, nullable=False),
    sa.Column(
        "recorded_at",
        sa.DateTime(timezone=True),
        nullable=False,
    ),
    # The per-stream hash chain (eventstore.chain); the first event has no prev_hash.
    sa.Column("prev_hash", sa.LargeBinary),
    sa.Column("hash", sa.LargeBinary),
    sa.UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
    sa.UniqueConstraint("event_id", name="uq_events_event_id"),
    sa.CheckConstraint("stream_version >= 1", name="ck_events_version_positive"),
    sa.CheckConstraint("schema_version >= 1", name="ck_events_schema_version_positive"),
    sa.Index("ix_events_feed", "tx_id", "position"),
    sqlite_autoincrement=True,
)
