"""Digest batch runs: one run per organisation, kind and period; one digest per subject and period.

A run lists its subjects (every active client, then their coaches, then the
organisation: `organisation_subject`) as items; workers fill them in chunks.
Finished items are skipped when a message is redelivered or a run is
resumed, and the unique digest row makes a second write a no-op, so a re-run
or a killed worker never produces a duplicate.

A period ends at midnight in the organisation's time zone (its policy). A
run for a period that has not ended is refused (`PeriodNotEnded`, 409)
unless asked for as provisional: a provisional run is a run of its own, and
its digests are marked provisional and replaced by the period's final run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from domain.dates import end_of_day, local_today
from domain.errors import RuleViolation
from projections.tables import LIVE
from services.digests import period_for
from services.digests.tables import digest_run_items, digest_runs
from services.jobs import outbox
from services.policies import policy_of

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
    provisional: bool = False

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed


class PeriodNotEnded(RuleViolation):
    """A run was asked for a period that has not ended yet in the organisation's time zone."""

    code = "period_not_ended"


def start_run(
    engine: sa.Engine,
    organisation_id: str,
    kind: str,
    now: datetime,
    *,
    today: date | None = None,
    provisional: bool = False,
) -> str:
    """Start (or find) the organisation's run for the last complete period before `today`; returns its id.

    `today` defaults to the organisation's date at `now` (in its time zone),
    so the scheduler's runs always cover the last period that has ended. A
    later `today` names a period that has not ended at `now`: refused with
    `PeriodNotEnded` unless `provisional`. Nothing is written when refused.
    """
    with engine.connect() as conn:
        zone = policy_of(conn, organisation_id).timezone
    start, end, key = period_for(kind, today or local_today(now, zone))
    ended = end_of_day(end, zone) < now
    if not ended and not provisional:
        raise PeriodNotEnded(
            f"the {kind} period {key} ends on {end.isoformat()} at midnight in {zone}: its digests can run "
            f"from {(end + timedelta(days=1)).isoformat()} ({zone}); ask for a provisional run to see it now"
        )
    find = sa.select(digest_runs.c.run_id).where(
        digest_runs.c.organisation_id == organisation_id,
        digest_runs.c.kind == kind,
        digest_runs.c.period_key == key,
        digest_runs.c.provisional == (not ended),
    )
    with engine.connect() as conn:
        if existing := conn.execute(find).scalar():
            return existing
    try:
        return _create_run(engine, organisation_id, kind, start, end, key, not ended, now)
    except sa.exc.IntegrityError:  # another caller started the same run a moment ago
        with engine.connect() as conn:
            return conn.execute(find).scalar_one()


def start_runs(engine: sa.Engine, kind: str, now: datetime) -> list[str]:
    """Start (or find) the last ended period's run of every organisation whose cadence has `kind`.

    Each organisation's period is the last one that has ended at `now` in its own time zone.
    """
    with engine.connect() as conn:
        organisations = (
            conn.execute(
                sa.select(LIVE.client_views.c.organisation_id)
                .where(LIVE.client_views.c.status == "active")
                .distinct()
            )
            .scalars()
            .all()
        )
        wanted = [org for org in sorted(organisations) if kind in policy_of(conn, org).digest_kinds]
    return [start_run(engine, org, kind, now) for org in wanted]


def _create_run(
    engine: sa.Engine,
    organisation_id: str,
    kind: str,
    start: date,
    end: date,
    key: str,
    provisional: bool,
    now: datetime,
) -> str:
    with engine.begin() as conn:
        run_id = str(uuid.uuid4())
        conn.execute(
            digest_runs.insert().values(
                run_id=run_id,
                organisation_id=organisation_id,
                kind=kind,
                period_key=key,
                period_start=start,
                period_end=end,
                provisional=provisional,
                created_at=now,  # the service's clock, as every moment a list is ordered by
            )
        )
        views = LIVE.client_views
        covered = sa.and_(  # archived clients are left out, and so is a coach with only those
            views.c.organisation_id == organisation_id, views.c.status == "active"
        )
        clients = (
            conn.execute(sa.select(views.c.client_id).where(covered).order_by(views.c.client_id))
            .scalars()
            .all()
        )
        coaches = sorted(set(conn.execute(sa.select(views.c.coach_id).where(covered)).scalars()))
        subjects = [f"client:{c}" for c in clients] + [f"coach:{c}" for c in coaches]
        if subjects:
            subjects.append(organisation_subject(organisation_id))
            conn.execute(
                digest_run_items.insert(),
                [{"run_id": run_id, "subject": s, "status": "pending"} for s in subjects],
            )
            if conn.dialect.name == "postgresql":
                # Statistics committed with the items: planned for the few rows a run had
                # before (or none), each chunk's statements read every item of the run by
                # run_id alone, where they should look up the chunk's subjects.
                conn.exec_driver_sql("ANALYZE digest_run_items")
        _enqueue_clients(conn, run_id, clients)
    return run_id


def organisation_subject(organisation_id: str) -> str:
    """The subject of the organisation's own digest (made with the coach digests, after the clients')."""
    return f"organisation:{organisation_id}"


def _enqueue_clients(conn: sa.Connection, run_id: str, clients: list[str]) -> None:
    for offset in range(0, len(clients), CHUNK):
        outbox.record(
            conn,
            "generate_client_digests",
            "digests",
            run_id=run_id,
            client_ids=clients[offset : offset + CHUNK],
        )
    if not clients:
        outbox.record(conn, "generate_coach_digests", "digests", run_id=run_id)


def resume_run(engine: sa.Engine, run_id: str) -> int:
    """Re-enqueue the run's unfinished client items (after an outage); the number re-enqueued."""
    with engine.begin() as conn:
        pending = (
            conn.execute(
                sa.select(digest_run_items.c.subject).where(
                    digest_run_items.c.run_id == run_id, digest_run_items.c.status != "done"
                )
            )
            .scalars()
            .all()
        )
        clients = [s.split(":", 1)[1] for s in pending if s.startswith("client:")]
        if clients:
            _enqueue_clients(conn, run_id, clients)
        elif pending:
            outbox.record(conn, "generate_coach_digests", "digests", run_id=run_id)
    return len(pending)


def run_status(
    conn: sa.Connection, run_id: str, organisation_id: str | None = None
) -> RunStatus | None:
    """The run's progress from its items (counted, never kept as a counter that could drift)."""
    query = sa.select(digest_runs).where(digest_runs.c.run_id == run_id)
    if organisation_id is not None:
        query = query.where(digest_runs.c.organisation_id == organisation_id)
    run = conn.execute(query).mappings().first()
    if run is None:
        return None
    counts = dict(
        conn.execute(
            sa.select(digest_run_items.c.status, sa.func.count())
            .where(digest_run_items.c.run_id == run_id)
            .group_by(digest_run_items.c.status)
        ).all()
    )
    return status_from(run, counts)


def status_from(run, counts: dict[str, int]) -> RunStatus:
    """A run's status from its row and its items counted per status."""
    return RunStatus(
        run_id=run["run_id"],
        organisation_id=run["organisation_id"],
        kind=run["kind"],
        period_key=run["period_key"],
        total=sum(counts.values()),
        done=counts.get("done", 0),
        failed=counts.get("failed", 0),
        created_at=run["created_at"],
        finished_at=run["finished_at"],
        provisional=run["provisional"],
    )


def status_of(engine: sa.Engine, run_id: str, organisation_id: str) -> RunStatus | None:
    """The organisation's run `run_id` and its progress; None when it has no such run."""
    with engine.connect() as conn:
        return run_status(conn, run_id, organisation_id)
