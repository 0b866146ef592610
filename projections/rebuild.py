"""Rebuild a projection from the first event, or check the live views against a rebuild.

A rebuild folds the store stream by stream up to the feed's head, in one
transaction with the checkpoint: readers see the old views until it commits.
A projection whose every row depends on one stream (`StreamFolding`) is
rebuilt by several worker processes on PostgreSQL: each folds a share of the
streams up to the same head and sends its rows back, and this process, which
holds the checkpoint lock, COPYs them into the emptied tables and sets the
checkpoint once, in that one transaction. A worker that fails rolls it all
back: the old views and checkpoint stay as they were. Several projections
are rebuilt from one pass (`rebuild_all`): each event is read and opened
once and fed to each, and their checkpoints are set in the one transaction.
A check rebuilds into scratch copies of the tables and reports every row that
differs from the live views (which it leaves untouched).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor, StoredEvent, json_text
from eventstore.store import StreamRange
from projections.client_projection import ClientViewProjection
from projections.insight_tables import LIVE_INSIGHTS, insight_tables
from projections.insights import InsightsProjection
from projections.runner import Projection, lock_checkpoint, read_checkpoint, save_checkpoint
from projections.tables import LIVE, view_tables

# What a check rebuilds: each rebuildable view projection, its live tables and how to make scratch copies.
CHECKED = (
    (ClientViewProjection, LIVE, view_tables),
    (InsightsProjection, LIVE_INSIGHTS, insight_tables),
)

Progress = Callable[[int, int], None]  # (events done, events in total)
# Builds, in a worker process, the store to read from: its own engine, the same settings.
OpenStore = Callable[[], EventStore]
# Shares of the streams: at least this many per worker, so one slow share leaves no worker
# idle for long, and at most RANGE_STREAMS streams each, as a worker holds a share's rows
# until it sends them (memory stays flat whatever the store's size).
RANGES_PER_WORKER = 4
RANGE_STREAMS = 500


@runtime_checkable
class StreamFolding(Protocol):
    """A projection whose every row depends on the events of one stream only.

    `fold_streams` gets whole streams, from their first event (forgotten
    clients' left out), and answers the rows to write per table, as an
    insert would take them; it reads and writes nothing itself.
    """

    def fold_streams(self, events: Sequence[StoredEvent]) -> dict[sa.Table, list[dict]]: ...


def default_workers() -> int:
    """Worker processes a rebuild uses unless told: one per core."""
    return os.cpu_count() or 1


def rebuild(
    engine: sa.Engine,
    store: EventStore,
    projection: Projection,
    progress: Progress | None = None,
    *,
    workers: int = 1,
    open_store: OpenStore | None = None,
) -> int:
    """Drop the projection's rows and fold every event up to the head again; the events folded.

    With `workers` > 1 and `open_store` (which each worker calls to build its
    own store), a `StreamFolding` projection on PostgreSQL is folded by that
    many processes; otherwise, or on SQLite, by this one.
    """
    return rebuild_all(
        engine, store, [projection], progress, workers=workers, open_store=open_store
    )


def rebuild_all(
    engine: sa.Engine,
    store: EventStore,
    projections: Sequence[Projection],
    progress: Progress | None = None,
    *,
    workers: int = 1,
    open_store: OpenStore | None = None,
) -> int:
    """Rebuild several projections from one pass over the events, in one transaction; the events folded.

    Their checkpoints are locked (in name order) and set to the same head as
    their rows are written: each event is read and opened once whatever the
    number of projections. In workers as `rebuild` says when every one of
    them is `StreamFolding`.
    """
    parallel = (
        workers > 1
        and open_store is not None
        and all(isinstance(p, StreamFolding) for p in projections)
        and engine.dialect.name == "postgresql"
    )
    with engine.begin() as conn:
        for name in sorted(p.name for p in projections):
            lock_checkpoint(conn, name)
        head = store.head()
        if parallel:
            done = _fold_in_workers(conn, store, projections, head, progress, workers, open_store)
        else:
            done = _fold_up_to(conn, store, projections, head, progress)
        for projection in projections:
            save_checkpoint(conn, projection.name, head)
        if engine.dialect.name == "postgresql":
            _analyze(conn, projections)
    return done


def _analyze(conn: sa.Connection, projections: Sequence[Projection]) -> None:
    """Give the planner statistics of the rebuilt tables, committed with their rows.

    Autovacuum analyses a table only some time after it changed: until then
    the planner plans for the rows the tables held before the rebuild (none,
    after a first one), and a join over them can turn quadratic.
    """
    for projection in projections:
        for table in getattr(getattr(projection, "tables", None), "all", ()):
            conn.exec_driver_sql(f'ANALYZE "{table.name}"')


def _fold_up_to(
    conn, store, projections: Sequence[Projection], head: FeedCursor, progress: Progress | None
) -> int:
    total = store.count_after(FeedCursor.START) if progress else 0
    for projection in projections:
        projection.clear(conn)
    done = 0
    for batch in store.scan_streams(up_to=head):
        remembered = [e for e in batch if not e.forgotten]  # forgotten clients are in no view
        for projection in projections:
            projection.apply(conn, remembered)
        done += len(batch)
        if progress:
            progress(done, max(total, done))
    return done


def _fold_in_workers(
    conn: sa.Connection,
    store: EventStore,
    projections: Sequence[Any],
    head: FeedCursor,
    progress: Progress | None,
    workers: int,
    open_store: OpenStore,
) -> int:
    """Fold the streams in `workers` processes, a range at a time, and COPY their rows in here."""
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),  # no inherited connections or threads
        initializer=_start_worker,
        initargs=(open_store, tuple(projections)),
    )
    try:
        for _ in range(workers):  # the workers start (import, connect) while this process prepares
            pool.submit(_ready)
        total = store.count_after(FeedCursor.START) if progress else 0
        ranges = iter(store.stream_ranges(head, workers * RANGES_PER_WORKER, RANGE_STREAMS))
        for projection in projections:
            projection.clear(conn)
        _compress_quickly(conn)
        done, running = 0, set[Future]()
        while True:
            while len(running) < 2 * workers and (share := next(ranges, None)) is not None:
                running.add(pool.submit(_fold_range, head, share))
            if not running:
                return done
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                folded, rows = future.result()  # a worker's failure ends the rebuild here
                for (schema, name, columns), values in rows.items():
                    _copy(conn, schema, name, columns, values)
                done += folded
                if progress:
                    progress(done, max(total, done))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _compress_quickly(conn: sa.Connection) -> None:
    """Compress the large documents this transaction writes with LZ4 where the server has it.

    pglz, the default, took half the server's time of a bulk write of views;
    values written either way read alike, and this holds for this transaction only.
    """
    conn.execute(
        sa.text(
            "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings"
            " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
    )


def _copy(
    conn: sa.Connection,
    schema: str | None,
    name: str,
    columns: Sequence[str],
    values: list[tuple],
) -> None:
    """Write rows into a table (by schema and name, as a worker names it) by COPY, in the caller's transaction."""
    if not values:
        return
    quote = conn.dialect.identifier_preparer
    table = (
        quote.quote(name) if schema is None else f"{quote.quote_schema(schema)}.{quote.quote(name)}"
    )
    names = ", ".join(quote.quote(c) for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


# One per worker process: the store it reads from and the projections it folds.
_worker: dict[str, Any] = {}


def _start_worker(open_store: OpenStore, projections: tuple[Any, ...]) -> None:
    _worker["store"], _worker["projections"] = open_store(), projections
    gc.freeze()  # the modules and the store live as long as the worker: no collection walks them


@contextlib.contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a worker folds a range, and resumed after it.

    A fold allocates dicts by the hundred thousand and keeps them until the
    range is sent, so the collector kept walking what it had just made;
    what a fold builds (events, views, rows) holds no cycles, and reference
    counting frees it. Once the range is sent, collection goes on as before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ready() -> None:
    """Nothing: submitted once per worker so the pool starts them all at once."""


def _fold_range(head: FeedCursor, share: StreamRange) -> tuple[int, dict[tuple, list[tuple]]]:
    """In a worker: fold one range of streams up to `head` for each projection.

    Answers the events read and the rows per (schema, table, columns), each
    row's values in column order as COPY takes them, JSON documents already
    text: the coordinator only writes them.
    """
    store, projections = _worker["store"], _worker["projections"]
    copied: dict[tuple[str | None, str, tuple[str, ...]], list[tuple]] = {}
    read = 0
    with _no_cyclic_collection():
        for whole in _whole_streams(store.scan_streams(up_to=head, streams=share)):
            read += len(whole)
            remembered = [e for e in whole if not e.forgotten]  # forgotten clients are in no view
            for projection in projections:
                for table, rows in projection.fold_streams(remembered).items():
                    if rows:
                        columns, values = _as_copied(table, rows)
                        key = (table.schema, table.name, tuple(columns))
                        copied.setdefault(key, []).extend(values)
    return read, copied


def _whole_streams(batches: Iterator[list[StoredEvent]]) -> Iterator[list[StoredEvent]]:
    """The scan's batches cut after their last whole stream; the rest goes with the next batch."""
    carried: list[StoredEvent] = []
    for batch in batches:
        if not batch:
            continue
        last = batch[-1].stream_id
        cut = len(batch)
        while cut and batch[cut - 1].stream_id == last:
            cut -= 1
        whole, carried = carried + batch[:cut], batch[cut:] if cut else carried + batch
        if cut:
            yield whole
    if carried:
        yield carried


def _as_copied(table: sa.Table, rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """The columns the rows name, and each row's values in that order (JSON columns as text)."""
    columns = [c for c in table.c if c.name in rows[0]]
    as_json = [isinstance(c.type, sa.JSON) for c in columns]
    values = [
        tuple(
            json_text.dumps(row[c.name]) if is_json else row[c.name]
            for c, is_json in zip(columns, as_json)
        )
        for row in rows
    ]
    return [c.name for c in columns], values


@dataclass
class CheckReport:
    """What a check found: rows missing, extra or different per table."""

    compared_rows: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def check(engine: sa.Engine, store: EventStore, progress: Progress | None = None) -> CheckReport:
    """Rebuild the client views and the insights into scratch tables up to their live checkpoints and compare."""
    report = CheckReport()
    for projection, live_tables, layout in CHECKED:
        _check_one(engine, store, projection, live_tables, layout, report, progress)
    return report


def _check_one(engine, store, projection, live_tables, layout, report, progress) -> None:
    scratch = layout(f"scratch_{uuid.uuid4().hex[:8]}_")
    # One snapshot for the live views and their checkpoint, without locking out
    # the live runner (SQLite's transactions are serializable already).
    isolation = (
        {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    )
    with engine.connect().execution_options(**isolation) as conn, conn.begin():
        for table in scratch.all:
            table.create(conn)
        try:
            live_at = read_checkpoint(conn, projection.name)
            _fold_up_to(conn, store, [projection(scratch)], live_at, progress)
            for live, rebuilt in zip(live_tables.all, scratch.all):
                _compare(conn, live, rebuilt, report)
        finally:
            for table in scratch.all:
                table.drop(conn)


def _compare(conn: sa.Connection, live: sa.Table, rebuilt: sa.Table, report: CheckReport) -> None:
    keys = live.primary_key.columns.keys()

    def key(row) -> object:
        return row[keys[0]] if len(keys) == 1 else "/".join(str(row[k]) for k in keys)

    live_rows = {key(r): dict(r) for r in conn.execute(sa.select(live)).mappings()}
    rebuilt_rows = {key(r): dict(r) for r in conn.execute(sa.select(rebuilt)).mappings()}
    report.compared_rows += len(live_rows)
    for k in sorted(live_rows.keys() | rebuilt_rows.keys()):
        before, after = live_rows.get(k), rebuilt_rows.get(k)
        if before is None:
            report.differences.append(f"{live.name}[{k}]: missing from the live view")
        elif after is None:
            report.differences.append(f"{live.name}[{k}]: in the live view but not in a rebuild")
        elif before != after:
            fields = sorted(c for c in before if before[c] != after.get(c))
            report.differences.append(f"{live.name}[{k}]: differs in {', '.join(fields)}")
