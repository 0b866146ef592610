"""Tamper evidence and erasure: a hash chain on every stream, and per-client data keys.

Each event gets `prev_hash` and `hash` (see `eventstore.chain`); events stored
before this revision are chained here, in stream order, with the guard against
UPDATE lifted for this transaction only. From now on the insert trigger
refuses an event whose `prev_hash` is not its predecessor's hash.

`client_keys` holds each client's data key, wrapped by the master key;
forgetting a client destroys the key (the row stays as the erasure record).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from eventstore.chain import event_hash

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PG_CHAIN_TRIGGER = """
CREATE OR REPLACE FUNCTION events_refuse_gap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous bytea;
BEGIN
    IF NEW.hash IS NULL THEN
        RAISE EXCEPTION 'unchained_event: stream % version % carries no hash',
            NEW.stream_id, NEW.stream_version USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.stream_version = 1 THEN
        previous := NULL;
    ELSE
        SELECT hash INTO previous FROM events
        WHERE stream_id = NEW.stream_id AND stream_version = NEW.stream_version - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'stream_version_gap: stream % has no version %',
                NEW.stream_id, NEW.stream_version - 1
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM previous THEN
        RAISE EXCEPTION 'broken_chain: stream % version % does not follow its predecessor''s hash',
            NEW.stream_id, NEW.stream_version USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
"""

SQLITE_CHAIN_TRIGGER = """
CREATE TRIGGER events_chained BEFORE INSERT ON events
WHEN NEW.hash IS NULL
  OR (NEW.stream_version = 1 AND NEW.prev_hash IS NOT NULL)
  OR (NEW.stream_version > 1 AND NEW.prev_hash IS NOT (
        SELECT hash FROM events
        WHERE stream_id = NEW.stream_id AND stream_version = NEW.stream_version - 1))
BEGIN SELECT RAISE(ABORT, 'broken_chain'); END
"""
SQLITE_NO_UPDATE = """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END"""


def _chain_stored_events(conn: sa.Connection) -> None:
    """Hash every event already stored, stream by stream in version order."""
    json = JSONB() if conn.dialect.name == "postgresql" else sa.JSON()
    events = sa.table(
        "events",
        *(
            sa.column(name)
            for name in ("position", "stream_id", "stream_version", "type", "schema_version")
        ),
        sa.column("event_id", sa.Uuid),
        sa.column("data", json),
        sa.column("metadata", json),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
        sa.column("prev_hash", sa.LargeBinary),
        sa.column("hash", sa.LargeBinary),
    )
    rows = conn.execute(
        sa.select(events)
        .order_by(events.c.stream_id, events.c.stream_version)
        .execution_options(yield_per=5000)
    )
    stream, previous, updates = None, None, []
    update = (
        events.update()
        .where(events.c.position == sa.bindparam("at"))
        .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("own"))
    )
    for row in rows:
        if row.stream_id != stream:
            stream, previous = row.stream_id, None
        own = event_hash(
            previous,
            row.stream_id,
            row.stream_version,
            row.event_id,
            row.type,
            row.schema_version,
            row.data,
            row.metadata,
            row.recorded_at,
        )
        updates.append({"at": row.position, "prev": previous, "own": own})
        previous = own
    for start in range(0, len(updates), 5000):
        conn.execute(update, updates[start : start + 5000])


def upgrade() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    op.add_column("events", sa.Column("prev_hash", sa.LargeBinary))
    op.add_column("events", sa.Column("hash", sa.LargeBinary))
    if postgres:
        op.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete")
        _chain_stored_events(conn)
        op.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete")
        op.execute(PG_CHAIN_TRIGGER)
    else:
        op.execute("DROP TRIGGER events_no_update")
        _chain_stored_events(conn)
        op.execute(SQLITE_NO_UPDATE)
        op.execute(SQLITE_CHAIN_TRIGGER)

    op.create_table(
        "client_keys",
        sa.Column("client_id", sa.String(100), primary_key=True),
        # The client's data key encrypted under the master key; NULL once destroyed.
        sa.Column("wrapped_key", sa.LargeBinary),
        sa.Column("master_key_id", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forgotten_at", sa.DateTime(timezone=True)),
        sa.Column("forgotten_by", sa.String(200)),
        sa.CheckConstraint(
            "(wrapped_key IS NULL) = (forgotten_at IS NOT NULL)",
            name="ck_client_keys_destroyed_when_forgotten",
        ),
    )


PG_GAP_TRIGGER_0001 = """
CREATE OR REPLACE FUNCTION events_refuse_gap() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""


def downgrade() -> None:
    op.drop_table("client_keys")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GAP_TRIGGER_0001)
    else:
        op.execute("DROP TRIGGER events_chained")
    op.drop_column("events", "hash")
    op.drop_column("events", "prev_hash")
