"""Rebuild a projection from the first event, or check the live views against a rebuild.

A rebuild folds the store stream by stream up to the feed's head, in one
transaction with the checkpoint: readers see the old views until it commits.
A check rebuilds into scratch copies of the tables and reports every row that
differs from the live views (which it leaves untouched).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor
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


def rebuild(
    engine: sa.Engine, store: EventStore, projection: Projection, progress: Progress | None = None
) -> int:
    """Drop the projection's rows and fold every event up to the head again; the events folded."""
    with engine.begin() as conn:
        lock_checkpoint(conn, projection.name)
        head = store.head()
        done = _fold_up_to(conn, store, projection, head, progress)
        save_checkpoint(conn, projection.name, head)
    return done


def _fold_up_to(conn, store, projection, head: FeedCursor, progress: Progress | None) -> int:
    total = store.count_after(FeedCursor.START) if progress else 0
    projection.clear(conn)
    done = 0
    for batch in store.scan_streams(up_to=head):
        projection.apply(
            conn, [e for e in batch if not e.forgotten]
        )  # forgotten clients are in no view
        done += len(batch)
        if progress:
            progress(done, max(total, done))
    return done


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
            _fold_up_to(conn, store, projection(scratch), live_at, progress)
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
