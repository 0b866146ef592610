"""The append-only events table, with its guards in the database itself.

The database, not only the application, refuses UPDATE, DELETE (and TRUNCATE on
PostgreSQL) on events, and refuses a stream version that would leave a gap.
On SQLite a later batch-mode migration of `events` rebuilds the table and drops
these triggers: such a migration must call `create_sqlite_triggers` again.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

PG_TRIGGERS = """
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % refused', TG_OP;
END $$;

CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

CREATE FUNCTION events_refuse_gap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.stream_version > 1 AND NOT EXISTS (
        SELECT 1 FROM events
        WHERE stream_id = NEW.stream_id AND stream_version = NEW.stream_version - 1
    ) THEN
        RAISE EXCEPTION 'stream_version_gap: stream % has no version %',
            NEW.stream_id, NEW.stream_version - 1
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_contiguous BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_gap();
"""

SQLITE_TRIGGERS = [
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END""",
    """CREATE TRIGGER events_contiguous BEFORE INSERT ON events
       WHEN NEW.stream_version > 1 AND NOT EXISTS (
           SELECT 1 FROM events
           WHERE stream_id = NEW.stream_id AND stream_version = NEW.stream_version - 1)
       BEGIN SELECT RAISE(ABORT, 'stream_version_gap'); END""",
]


def create_sqlite_triggers() -> None:
    """(Re-)create the SQLite guards on `events`."""
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    json = JSONB() if postgres else sa.JSON()
    op.create_table(
        "events",
        sa.Column(
            "position",
            sa.BigInteger if postgres else sa.Integer,
            sa.Identity(always=True) if postgres else None,
            primary_key=True,
        ),
        sa.Column(
            "tx_id",
            sa.BigInteger,
            nullable=False,
            server_default=sa.text("(pg_current_xact_id()::text::bigint)" if postgres else "0"),
        ),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("stream_version", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("data", json, nullable=False),
        sa.Column("metadata", json, nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text(
                "now()" if postgres else "(strftime('%Y-%m-%d %H:%M:%f', 'now'))"
            ),
        ),
        sa.UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
        sa.CheckConstraint("stream_version >= 1", name="ck_events_version_positive"),
        sa.CheckConstraint("schema_version >= 1", name="ck_events_schema_version_positive"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_feed", "events", ["tx_id", "position"])
    if postgres:
        op.execute(PG_TRIGGERS)
    else:
        create_sqlite_triggers()


def downgrade() -> None:
    op.drop_table("events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION events_refuse_change(); DROP FUNCTION events_refuse_gap();")
