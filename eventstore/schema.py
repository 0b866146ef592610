"""The events table as SQLAlchemy Core sees it, for queries only.

Tables are made by the Alembic migrations in `eventstore/migrations`, never by
`metadata.create_all`; this description must match what the migrations build
(tests/integration/test_schema_matches_migrations.py checks it). The server
defaults differ per database, as in migration 0001, so they compile per dialect.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON, JSONB
from sqlalchemy.ext.compiler import compiles

metadata = sa.MetaData()

JsonDocument = sa.JSON().with_variant(JSONB(), "postgresql")
# A document only ever written and read whole (a view): kept as text, which reads back cheaper.
JsonText = sa.JSON().with_variant(JSON(), "postgresql")
Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def utc(moment: datetime | None) -> datetime | None:
    """A stored moment as an aware UTC datetime (SQLite hands back naive UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


class ServerDefault(sa.sql.expression.ColumnElement):
    """A server default written differently per database, as the migrations write it."""

    inherit_cache = False  # only ever compiled in DDL and schema comparison

    def __init__(self, sqlite: str, postgresql: str) -> None:
        self.by_dialect = {"sqlite": sqlite, "postgresql": postgresql}


@compiles(ServerDefault)
def _server_default(element: ServerDefault, compiler, **kw) -> str:
    return element.by_dialect[compiler.dialect.name]


# As migration 0001 sets them: the writing transaction's id, and the moment of writing.
CURRENT_TX_ID = ServerDefault(sqlite="0", postgresql="(pg_current_xact_id()::text::bigint)")
RECORDED_NOW = ServerDefault(sqlite="(strftime('%Y-%m-%d %H:%M:%f', 'now'))", postgresql="now()")

events = sa.Table(
    "events",
    metadata,
    sa.Column("position", Position, sa.Identity(always=True), primary_key=True),
    # Writing transaction's id (PostgreSQL xid8 as bigint; 0 on SQLite, whose
    # single writer commits in position order). Readers use it as a watermark.
    sa.Column("tx_id", sa.BigInteger, nullable=False, server_default=CURRENT_TX_ID),
    sa.Column("stream_id", sa.String(200), nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("data", JsonDocument, nullable=False),
    sa.Column("metadata", JsonDocument, nullable=False),
    sa.Column(
        "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=RECORDED_NOW
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
