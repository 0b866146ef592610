"""Follow the store's global feed and keep projections current, exactly once.

A projection's view update and its checkpoint are written in one transaction:
a crash between the two rolls both back, so a batch is never counted twice nor
skipped. The checkpoint row is locked first, so two runners (the API's inline
catch-up and the background follower) never apply the same batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor, StoredEvent
from projections.tables import checkpoints
from projections.upsert import insert_unless_present


class Projection(Protocol):
    name: str
    rebuildable: bool  # False for projections whose effects (notices sent) must not repeat
    read_model: bool  # True for views that requests read: refreshed inline after a command

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None: ...

    def clear(self, conn: sa.Connection) -> None: ...


def lock_checkpoint(conn: sa.Connection, name: str) -> FeedCursor:
    """Lock the projection's checkpoint row for this transaction and return it.

    The no-op UPDATE takes the row lock on PostgreSQL and the write lock on
    SQLite before anything is read, so a concurrent runner waits here.
    """
    lock = (
        checkpoints.update().where(checkpoints.c.name == name).values(name=checkpoints.c.name)
        .returning(checkpoints.c.tx_id, checkpoints.c.position)
    )
    row = conn.execute(lock).first()
    if row is None:  # the projection's first run: make its row, then lock it
        insert_unless_present(conn, checkpoints, {"name": name, "tx_id": FeedCursor.START.tx_id, "position": 0})
        row = conn.execute(lock).one()
    return FeedCursor(row.tx_id, row.position)


def read_checkpoint(conn: sa.Connection, name: str) -> FeedCursor:
    """Where a projection stands in the feed, without locking it."""
    row = conn.execute(
        sa.select(checkpoints.c.tx_id, checkpoints.c.position).where(checkpoints.c.name == name)
    ).first()
    return FeedCursor(row.tx_id, row.position) if row else FeedCursor.START


def save_checkpoint(conn: sa.Connection, name: str, cursor: FeedCursor) -> None:
    conn.execute(
        checkpoints.update()
        .where(checkpoints.c.name == name)
        .values(tx_id=cursor.tx_id, position=cursor.position, updated_at=sa.func.now())
    )


class ProjectionRunner:
    """Applies new events to a set of projections, batch by batch."""

    def __init__(
        self, engine: sa.Engine, store: EventStore, projections: Sequence[Projection], batch_size: int = 500
    ):
        self.engine = engine
        self.store = store
        self.projections = list(projections)
        self.batch_size = batch_size

    def run_once(self, projection: Projection) -> int:
        """Apply the next batch to one projection; the number of events applied."""
        with self.engine.begin() as conn:
            cursor = lock_checkpoint(conn, projection.name)
            events = self.store.read_all(after=cursor, limit=self.batch_size)
            if events:
                projection.apply(conn, events)
                save_checkpoint(conn, projection.name, events[-1].cursor)
        return len(events)

    def catch_up(self, max_batches: int | None = None, read_models_only: bool = False) -> int:
        """Bring every projection (or only the read models) up to the head of the feed; the events applied."""
        applied = 0
        for projection in self.projections:
            if read_models_only and not projection.read_model:
                continue
            batches = 0
            while max_batches is None or batches < max_batches:
                count = self.run_once(projection)
                applied += count
                batches += 1
                if count < self.batch_size:
                    break
        return applied

    def checkpoint(self, name: str) -> FeedCursor:
        """Where a projection stands in the feed."""
        with self.engine.connect() as conn:
            return read_checkpoint(conn, name)

    def lag(self) -> dict[str, int]:
        """Events each projection is behind the head of the feed."""
        return {p.name: self.store.count_after(self.checkpoint(p.name)) for p in self.projections}
