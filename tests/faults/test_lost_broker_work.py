"""Relayed work the broker lost is re-driven by the reconciler, with no operator, and done once.

Real `careerplan worker` processes and a redis-server of the test's own; the
reconciler runs in the test as the elected scheduler would run it (every
RECONCILE seconds), on a shorter lease than the default so the suite stays
quick. The default lease and interval (60 s + 60 s) are the 2-minute bound.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa
from live_api import services_on
from seeded_clients import clone_seed_clients
from workers_support import OwnRedis, start_worker, stop, wait_for, worker_env

from projections.tables import LIVE
from services.digests import runs as digest_runs
from services.digests.tables import digests
from services.jobs import outbox
from services.jobs.reconcile import reconcile
from services.jobs.tables import outbox as outbox_rows
from workers import actors
from workers.broker import make_broker
from workers.holding import holding

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

LEASE, RECONCILE = 10, 5  # seconds; the defaults are 60 and 60
NAMESPACE = "careerplan-reconcile"
ORGANISATION = "org-lost-work"


@contextmanager
def reconciling(engine, broker):
    """Reconcile every RECONCILE seconds in a thread, as the elected scheduler does."""
    stopped = threading.Event()

    def loop() -> None:
        while not stopped.wait(RECONCILE):
            reconcile(engine, broker, holding(broker), LEASE)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join(timeout=30)


def digest_subjects(engine) -> list[str]:
    with engine.connect() as conn:
        return (
            conn.execute(
                sa.select(digests.c.subject).where(digests.c.organisation_id == ORGANISATION)
            )
            .scalars()
            .all()
        )


def run_status(engine, run_id: str):
    with engine.connect() as conn:
        return digest_runs.run_status(conn, run_id)


def requeues(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.sum(outbox_rows.c.requeues))).scalar_one() or 0


def enrolled(services) -> int:
    """Clients of the organisation in the views, after catching up (the feed may wait a moment)."""
    services.projections.catch_up()
    views = LIVE.client_views
    with services.engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).where(views.c.organisation_id == ORGANISATION)
        ).scalar_one()


def started_run(services, clients: int) -> str:
    clone_seed_clients(services, ORGANISATION, clients)
    wait_for(lambda: enrolled(services) == clients, 60, "the views to list every client")
    now = services.clock() + timedelta(weeks=1)  # the enrolment's week has ended by then
    return digest_runs.start_run(services.engine, ORGANISATION, "weekly", now)


@dataclass
class Rig:
    """A redis-server of the test's own, the app's services and a broker on it, worker processes."""

    redis: OwnRedis
    services: object
    broker: object
    env: dict[str, str]
    workers: list = field(default_factory=list)

    def start_worker(self) -> None:
        self.workers.append(start_worker(self.env))


@pytest.fixture
def rig(postgres_engine) -> Iterator[Rig]:
    redis = OwnRedis()
    redis.start()
    env = {
        **worker_env(postgres_engine, redis.url, NAMESPACE),
        "OUTBOX_LEASE_SECONDS": str(LEASE),
        "WORKER_HEARTBEAT_TIMEOUT_MS": "30000",  # the default
        "REDIS_MAINTENANCE_CHANCE": "1",  # Dramatiq's own requeue all but never runs
    }
    broker = actors.bind(make_broker(redis.url, NAMESPACE, postgres_engine, 30_000))
    rig = Rig(redis, services_on(postgres_engine), broker, env)
    try:
        yield rig
    finally:
        for worker in rig.workers:
            stop(worker)
        broker.close()
        redis.stop()


def finish(engine, broker, run_id: str, since: float, seconds: float) -> float:
    """Reconcile until the run has no pending subject; the seconds since `since`."""
    with reconciling(engine, broker):
        wait_for(lambda: run_status(engine, run_id).pending == 0, seconds, "the run")
    return time.monotonic() - since


def assert_done_once(engine, run_id: str, subjects: int, fault: str, seconds: float) -> None:
    """Every subject of the run done, one digest each; reported in one line."""
    made = digest_subjects(engine)
    status = run_status(engine, run_id)
    print(
        f"\nfault: {fault} — {status.total} subjects done {seconds:.0f} s after the fault, "
        f"{requeues(engine)} message(s) re-enqueued, {len(made) - len(set(made))} duplicated"
    )
    assert (status.done, status.failed) == (subjects, 0)
    assert len(made) == len(set(made)) == subjects


def test_work_relayed_before_redis_came_back_empty_is_done_within_two_minutes(postgres_engine, rig):
    run_id = started_run(
        rig.services, 60
    )  # two chunks of clients, then the coach and the organisation
    assert outbox.relay(postgres_engine, rig.broker, lease_seconds=LEASE) == 2
    rig.redis.stop()
    rig.redis.start()  # empty: nothing was saved
    lost_at = time.monotonic()
    rig.start_worker()
    recovered = finish(postgres_engine, rig.broker, run_id, lost_at, 120)

    assert_done_once(postgres_engine, run_id, 62, "redis restarted empty", recovered)
    assert requeues(postgres_engine) == 2  # each lost chunk once
    assert recovered < LEASE + RECONCILE + 60


def test_a_worker_killed_mid_run_resumes_within_90_seconds(postgres_engine, rig):
    run_id = started_run(rig.services, 150)
    rig.start_worker()
    wait_for(lambda: run_status(postgres_engine, run_id).done >= 5, 60, "the first digests")
    stop(rig.workers[0], signal.SIGKILL)  # dies holding its fetched messages
    killed_at = time.monotonic()
    rig.start_worker()
    resumed = finish(postgres_engine, rig.broker, run_id, killed_at, 150)

    assert_done_once(postgres_engine, run_id, 152, "worker SIGKILLed mid-run", resumed)
    assert resumed < 30 + RECONCILE + 60  # heartbeat timeout + interval + the remaining work
