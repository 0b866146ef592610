"""Follow the store's global feed and keep projections current, exactly once.

A projection's view update and its checkpoint are written in one transaction:
a crash between the two rolls both back, so a batch is never counted twice nor
skipped. The checkpoint row is locked first, so two runners (the API's inline
catch-up and the background follower) never apply the same batch. A process
remembers the furthest checkpoint it saw committed, so a command whose events
another thread's refresh already applied answers without a refresh of its own.
A read's refresh waits for the checkpoint a bounded time only: a rebuild holds
it for as long as it folds, and the read is then served the views as they stand.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor, StoredEvent
from projections.tables import checkpoints
from projections.upsert import insert_unless_present

log = logging.getLogger(__name__)
# How long a read's refresh waits for the checkpoint (another process's refresh takes
# milliseconds; a rebuild, minutes) before the read goes on without it.
INLINE_WAIT_SECONDS = 1.0
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that expired


class CheckpointBusy(Exception):
    """The checkpoint stayed locked (by a rebuild, say) longer than the caller would wait."""


class Projection(Protocol):
    name: str
    rebuildable: bool  # False for projections whose effects (notices sent) must not repeat
    read_model: bool  # True for views that requests read: refreshed inline after a command
    # The event types it handles, or None for every event: given types, it is handed only
    # those, filtered in the database, and its checkpoint still moves past every event.
    event_types: frozenset[str] | None

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None: ...

    def clear(self, conn: sa.Connection) -> None: ...


# Built once: the checkpoint is locked, read and saved on every command's inline refresh.
_LOCK = (
    checkpoints.update()
    .where(checkpoints.c.name == sa.bindparam("lock_name"))
    .values(name=checkpoints.c.name)
    .returning(checkpoints.c.tx_id, checkpoints.c.position)
)
_READ = sa.select(checkpoints.c.tx_id, checkpoints.c.position).where(
    checkpoints.c.name == sa.bindparam("read_name")
)
_SAVE = (
    checkpoints.update()
    .where(checkpoints.c.name == sa.bindparam("save_name"))
    .values(
        tx_id=sa.bindparam("tx_id"), position=sa.bindparam("position"), updated_at=sa.func.now()
    )
)


def lock_checkpoint(conn: sa.Connection, name: str) -> FeedCursor:
    """Lock the projection's checkpoint row for this transaction and return it.

    The no-op UPDATE takes the row lock on PostgreSQL and the write lock on
    SQLite before anything is read, so a concurrent runner waits here.
    """
    row = conn.execute(_LOCK, {"lock_name": name}).first()
    if row is None:  # the projection's first run: make its row, then lock it
        insert_unless_present(
            conn, checkpoints, {"name": name, "tx_id": FeedCursor.START.tx_id, "position": 0}
        )
        row = conn.execute(_LOCK, {"lock_name": name}).one()
    return FeedCursor(row.tx_id, row.position)


def _lock_checkpoint_within(conn: sa.Connection, name: str, seconds: float | None) -> FeedCursor:
    if seconds is None or conn.dialect.name != "postgresql":
        return lock_checkpoint(conn, name)
    # For the rest of the transaction too; once the checkpoint is held, nothing else it locks is contended.
    conn.execute(sa.select(sa.func.set_config("lock_timeout", f"{round(seconds * 1000)}ms", True)))
    try:
        return lock_checkpoint(conn, name)
    except sa.exc.OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            raise CheckpointBusy(f"the {name} checkpoint stayed locked for {seconds} s") from error
        raise


def read_checkpoint(conn: sa.Connection, name: str) -> FeedCursor:
    """Where a projection stands in the feed, without locking it."""
    row = conn.execute(_READ, {"read_name": name}).first()
    return FeedCursor(row.tx_id, row.position) if row else FeedCursor.START


def save_checkpoint(conn: sa.Connection, name: str, cursor: FeedCursor) -> None:
    conn.execute(_SAVE, {"save_name": name, "tx_id": cursor.tx_id, "position": cursor.position})


class ProjectionRunner:
    """Applies new events to a set of projections, batch by batch."""

    def __init__(
        self,
        engine: sa.Engine,
        store: EventStore,
        projections: Sequence[Projection],
        batch_size: int = 500,
        scan: int = 10_000,
    ):
        self.engine = engine
        self.store = store
        self.projections = list(projections)
        self.batch_size = batch_size
        # The most feed events one batch of a projection of some event types walks past.
        self.scan = max(scan, batch_size)
        # Checkpoints only move forward, so one seen committed stays true: a command whose
        # events are at or below it needs no refresh of its own.
        self._reached: dict[str, FeedCursor] = {}
        self._reached_lock = threading.Lock()
        self._inline_turn = threading.Lock()

    def run_once(
        self,
        projection: Projection,
        until: FeedCursor | None = None,
        lock_wait: float | None = None,
    ) -> int:
        """Apply the next batch to one projection; the number of feed events its checkpoint moved past.

        Fewer than the batch size only when it reached the readable head. A
        projection of some event types (`event_types`) is handed only those:
        its batch may move past many more events than it applies.
        With `until`, nothing is read when the projection has already passed
        that cursor (another runner applied it): the lock is taken and let go.
        With `lock_wait`, CheckpointBusy after waiting that many seconds for the
        lock (PostgreSQL; SQLite waits its busy timeout).
        """
        with self.engine.begin() as conn:
            start = cursor = _lock_checkpoint_within(conn, projection.name, lock_wait)
            if until is not None and cursor >= until:
                events, moved = [], 0
            elif projection.event_types is None:
                events = self.store.read_all(after=cursor, limit=self.batch_size)
                moved, cursor = len(events), events[-1].cursor if events else cursor
            else:
                page = self.store.read_all_of_types(
                    projection.event_types, cursor, self.batch_size, scan=self.scan
                )
                events, moved, cursor = page.events, page.passed, page.cursor
            if events:
                # A forgotten client's events (personal data erased) are in no view.
                projection.apply(conn, [e for e in events if not e.forgotten])
            if cursor != start:
                save_checkpoint(conn, projection.name, cursor)
        self._note_reached(projection.name, cursor)  # committed: the views hold everything up to it
        return moved

    def catch_up(self, max_batches: int | None = None, read_models_only: bool = False) -> int:
        """Bring every projection (or only the read models) up to the head of the feed; the events passed."""
        moved = 0
        for projection in self.projections:
            if read_models_only and not projection.read_model:
                continue
            batches = 0
            while max_batches is None or batches < max_batches:
                count = self.run_once(projection)
                moved += count
                batches += 1
                if count < self.batch_size:
                    break
        return moved

    def refresh_to(self, until: FeedCursor, max_batches: int = 2) -> bool:
        """Bring the read models up to `until`, the last event a read must see (read-your-writes).

        The threads of this process take turns: one at a time waits on the
        checkpoint row, and one whose events an earlier turn applied returns
        without touching the database. True when every read model reached `until`;
        False, without waiting longer, when the turn or the checkpoint is not had
        within INLINE_WAIT_SECONDS each (a rebuild holds the checkpoint).
        """
        if not self._inline_turn.acquire(timeout=INLINE_WAIT_SECONDS):
            return False
        try:
            for projection in self.projections:
                if not projection.read_model:
                    continue
                for _ in range(max_batches):
                    if self.reached(projection.name) >= until:
                        break
                    try:
                        applied = self.run_once(projection, until, lock_wait=INLINE_WAIT_SECONDS)
                    except CheckpointBusy as busy:
                        log.warning("views not refreshed before a read: %s", busy)
                        return False
                    if applied < self.batch_size and self.reached(projection.name) < until:
                        break  # nothing more is readable yet (an older transaction is still open)
            return all(self.reached(p.name) >= until for p in self.projections if p.read_model)
        finally:
            self._inline_turn.release()

    def refresh_one(self, name: str, max_batches: int = 20) -> bool:
        """Bring one projection (a view read across clients, not refreshed by commands) up to the head.

        At most `max_batches` batches, each waiting INLINE_WAIT_SECONDS at most
        for the checkpoint; True when it reached the head, False (logged) when a
        rebuild held it or more was pending: the read is served the rows as they stand.
        """
        projection = next(p for p in self.projections if p.name == name)
        for _ in range(max_batches):
            try:
                if self.run_once(projection, lock_wait=INLINE_WAIT_SECONDS) < self.batch_size:
                    return True
            except CheckpointBusy as busy:
                log.warning("%s not refreshed before a read: %s", name, busy)
                return False
        log.warning("%s still behind after %d batches: read as it stands", name, max_batches)
        return False

    def reached(self, name: str) -> FeedCursor:
        """The furthest checkpoint of a projection this process has seen committed (START if none)."""
        return self._reached.get(name, FeedCursor.START)

    def _note_reached(self, name: str, cursor: FeedCursor) -> None:
        with self._reached_lock:
            if cursor > self._reached.get(name, FeedCursor.START):
                self._reached[name] = cursor

    def checkpoint(self, name: str) -> FeedCursor:
        """Where a projection stands in the feed."""
        with self.engine.connect() as conn:
            return read_checkpoint(conn, name)

    def lag(self) -> dict[str, int]:
        """Events each projection is behind the head of the feed."""
        return {p.name: self.store.count_after(self.checkpoint(p.name)) for p in self.projections}
