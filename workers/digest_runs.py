"""Digest batch runs: one run per organisation, kind and period; one digest per subject and period.

A run lists its subjects (every client, then every coach) as items; workers
fill them in chunks. Finished items are skipped when a message is redelivered
or a run is resumed, and the unique digest row makes a second write a no-op,
so a re-run or a killed worker never produces a duplicate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from projections.digest import period_for
from projections.tables import LIVE
from workers import outbox
from workers.tables import digest_run_items, digest_runs

CHUNK = 50


@dataclass(frozen=True)
class RunStatus:
    run_id: str
    organisation_id: str
    kind: str
    period_key: str
    total: int
    done: int
    failed: int
    created_at: datetime
    finished_at: datetime | None

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed


def start_run(engine: sa.Engine, organisation_id: str, kind: str, today: date) -> str:
    """Start (or find) the organisation's run for the last complete period; returns its id."""
    start, end, key = period_for(kind, today)
    find = sa.select(digest_runs.c.run_id).where(
        digest_runs.c.organisation_id == organisation_id,
        digest_runs.c.kind == kind,
        digest_runs.c.period_key == key,
    )
    with engine.connect() as conn:
        if existing := conn.execute(find).scalar():
            return existing
    try:
        return _create_run(engine, organisation_id, kind, start, end, key)
    except sa.exc.IntegrityError:  # another caller started the same run a moment ago
        with engine.connect() as conn:
            return conn.execute(find).scalar_one()


def _create_run(engine: sa.Engine, organisation_id: str, kind: str, start: date, end: date, key: str) -> str:
    with engine.begin() as conn:
        run_id = str(uuid.uuid4())
        conn.execute(digest_runs.insert().values(
            run_id=run_id, organisation_id=organisation_id, kind=kind, period_key=key,
            period_start=start, period_end=end,
        ))
        views = LIVE.client_views
        clients = conn.execute(
            sa.select(views.c.client_id).where(views.c.organisation_id == organisation_id)
            .order_by(views.c.client_id)
        ).scalars().all()
        coaches = sorted(set(conn.execute(
            sa.select(views.c.coach_id).where(views.c.organisation_id == organisation_id)
        ).scalars()))
        subjects = [f"client:{c}" for c in clients] + [f"coach:{c}" for c in coaches]
        if subjects:
            conn.execute(digest_run_items.insert(), [
                {"run_id": run_id, "subject": s, "status": "pending"} for s in subjects
            ])
        _enqueue_clients(conn, run_id, clients)
    return run_id


def _enqueue_clients(conn: sa.Connection, run_id: str, clients: list[str]) -> None:
    for offset in range(0, len(clients), CHUNK):
        outbox.record(conn, "generate_client_digests", "digests", run_id=run_id,
                      client_ids=clients[offset:offset + CHUNK])
    if not clients:
        outbox.record(conn, "generate_coach_digests", "digests", run_id=run_id)


def resume_run(engine: sa.Engine, run_id: str) -> int:
    """Re-enqueue the run's unfinished client items (after an outage); the number re-enqueued."""
    with engine.begin() as conn:
        pending = conn.execute(
            sa.select(digest_run_items.c.subject).where(
                digest_run_items.c.run_id == run_id, digest_run_items.c.status != "done"
            )
        ).scalars().all()
        clients = [s.split(":", 1)[1] for s in pending if s.startswith("client:")]
        if clients:
            _enqueue_clients(conn, run_id, clients)
        elif pending:
            outbox.record(conn, "generate_coach_digests", "digests", run_id=run_id)
    return len(pending)


def run_status(conn: sa.Connection, run_id: str, organisation_id: str | None = None) -> RunStatus | None:
    """The run's progress from its items (counted, never kept as a counter that could drift)."""
    query = sa.select(digest_runs).where(digest_runs.c.run_id == run_id)
    if organisation_id is not None:
        query = query.where(digest_runs.c.organisation_id == organisation_id)
    run = conn.execute(query).mappings().first()
    if run is None:
        return None
    counts = dict(conn.execute(
        sa.select(digest_run_items.c.status, sa.func.count())
        .where(digest_run_items.c.run_id == run_id).group_by(digest_run_items.c.status)
    ).all())
    return RunStatus(
        run_id=run_id, organisation_id=run["organisation_id"], kind=run["kind"],
        period_key=run["period_key"], total=sum(counts.values()), done=counts.get("done", 0),
        failed=counts.get("failed", 0), created_at=run["created_at"], finished_at=run["finished_at"],
    )


def digest_day(period_end: date) -> date:
    """The "today" a period's digests are composed for: fixed, so a re-run renders the same."""
    return period_end + timedelta(days=1)
