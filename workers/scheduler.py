"""The scheduler: a process that only enqueues periodic work, and fires each slot once.

Two guards stop a second scheduler from firing too. A leader lock (a
PostgreSQL advisory lock held by the scheduler's own connection, released
by the server if the process dies) keeps one scheduler active; and each tick
inserts a unique (job, slot) row in the same transaction as its outbox
message, so even two leaders at once could fire a slot only once.

A slot that comes due while the database is unreachable is kept and fired
as soon as it answers again (the relay's one-second tick retries it), so an
outage at 02:00 delays the day's sweep rather than losing it.

The leader also reconciles every `reconcile_seconds` (60 by default):
relayed work whose lease expired and whose message the broker lost (Redis
came back empty, a worker was killed holding it) is enqueued again
(`services.jobs.reconcile`), so background work finishes with no operator.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from services.jobs import outbox
from services.jobs.reconcile import reconcile
from services.jobs.tables import scheduler_ticks
from workers import slots
from workers.holding import holding
from workers.outage import Outage, is_outage

LEADER_LOCK_KEY = 0x63_70_73_63  # "cpsc": the scheduler's advisory-lock key


@dataclass(frozen=True)
class Job:
    """A periodic job: when it fires (cron fields for APScheduler) and what it enqueues."""

    name: str
    cron: dict
    slot: Callable[[datetime], str]
    actor_name: str
    queue_name: str = "default"


JOBS = (
    Job("alignment-sweep", {"hour": 2, "minute": 0}, slots.daily, "sweep_alignment", "alignment"),
    Job("nudge-sweep", {"hour": 2, "minute": 30}, slots.daily, "sweep_nudges", "alignment"),
    Job(
        "weekly-digests",
        {"day_of_week": "mon", "hour": 6},
        slots.weekly,
        "start_digest_runs",
        "digests",
    ),
    Job(
        "quarterly-digests",
        {"month": "1,4,7,10", "day": 1, "hour": 6},
        slots.quarterly,
        "start_digest_runs",
        "digests",
    ),
)


def fire(engine: sa.Engine, job: Job, now: datetime, fired_by: str | None = None) -> bool:
    """Enqueue `job` for the slot `now` falls in; False when that slot already fired."""
    slot = job.slot(now)
    fired_by = fired_by or f"{socket.gethostname()}:{os.getpid()}"
    try:
        with engine.begin() as conn:
            conn.execute(
                scheduler_ticks.insert().values(job=job.name, slot=slot, fired_by=fired_by)
            )
            kwargs = {"slot": slot}
            if job.actor_name == "start_digest_runs":
                kwargs["kind"] = job.name.split("-")[0]
            outbox.record(conn, job.actor_name, job.queue_name, **kwargs)
    except sa.exc.IntegrityError:
        return False
    return True


class LeaderLock:
    """A PostgreSQL session advisory lock; on SQLite (one embedded process) always held."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._conn: sa.Connection | None = None

    def held(self) -> bool:
        """Whether this process leads now, taking the lock if it is free."""
        if self.engine.dialect.name != "postgresql":
            return True
        try:
            if self._conn is not None:
                self._conn.execute(sa.text("SELECT 1"))  # still alive: we still hold it
                return True
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if conn.execute(sa.select(sa.func.pg_try_advisory_lock(LEADER_LOCK_KEY))).scalar():
                self._conn = conn
                return True
            conn.close()
        except sa.exc.DBAPIError:
            self.release()
        return False

    def release(self) -> None:
        if self._conn is not None:
            # Unlocked first, so a successor can lead at once: a session that is only
            # disconnected keeps its lock until its backend notices and exits.
            with contextlib.suppress(
                sa.exc.SQLAlchemyError
            ):  # the session is gone, and its lock with it
                self._conn.execute(sa.select(sa.func.pg_advisory_unlock(LEADER_LOCK_KEY)))
            # Invalidate rather than return it to the pool: the lock lives as long
            # as the database session, so the session itself must end.
            self._conn.invalidate()
            self._conn.close()
            self._conn = None


def schedule(
    scheduler,
    engine: sa.Engine,
    broker,
    clock: Callable[[], datetime],
    relay_seconds: float = 1.0,
    reconcile_seconds: float = 60.0,
    lease_seconds: float = outbox.DEFAULT_LEASE_SECONDS,
):
    """Add the periodic jobs, the outbox relay and the reconciler to an APScheduler scheduler.

    Returns the leader lock.
    """
    from apscheduler.triggers.cron import CronTrigger

    lock = LeaderLock(engine)
    due: dict[str, tuple[Job, datetime]] = {}  # slots come due and not fired yet, by job
    outage = Outage("scheduler")

    def fire_due() -> None:
        for name, (job, now) in list(due.items()):
            fire(engine, job, now)
            due.pop(name, None)

    def guarded(work: Callable[[], None]) -> None:
        try:
            if lock.held():
                work()
        except Exception as error:
            if not is_outage(error):
                raise
            outage.failed(error)
            return
        if not due:
            outage.succeeded()

    def tick(job: Job) -> None:
        due[job.name] = (job, clock())
        guarded(fire_due)

    def send_outbox() -> None:
        guarded(lambda: (fire_due(), outbox.relay(engine, broker, lease_seconds=lease_seconds)))

    def reconcile_work() -> None:
        guarded(lambda: reconcile(engine, broker, holding(broker), lease_seconds))

    for job in JOBS:
        scheduler.add_job(
            tick,
            CronTrigger(**job.cron, timezone="UTC"),
            args=[job],
            id=job.name,
            coalesce=True,
            misfire_grace_time=3600,
        )
    scheduler.add_job(
        send_outbox, "interval", seconds=relay_seconds, id="relay", coalesce=True, max_instances=1
    )
    scheduler.add_job(
        reconcile_work,
        "interval",
        seconds=reconcile_seconds,
        id="reconcile",
        coalesce=True,
        max_instances=1,
    )
    return lock


def run(engine: sa.Engine, broker, clock: Callable[[], datetime], settings=None) -> None:
    """Run the scheduler in this process until it is stopped (SIGTERM / Ctrl-C)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone="UTC")
    lock = schedule(scheduler, engine, broker, clock, **timing(settings))
    try:
        scheduler.start()
    finally:
        lock.release()


def timing(settings) -> dict:
    """The reconciler's interval and the outbox lease from the settings (the defaults without)."""
    if settings is None:
        return {}
    return {
        "reconcile_seconds": settings.reconcile_seconds,
        "lease_seconds": settings.outbox_lease_seconds,
    }
