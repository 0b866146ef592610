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
from contextlib import contextmanager
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


def test_work_relayed_before_redis_came_back_empty_is_done_within_two_minutes(postgres_engine):
    redis = OwnRedis()
    redis.start()
    services = services_on(postgres_engine)
    broker = actors.bind(make_broker(redis.url, NAMESPACE, postgres_engine))
    worker = None
    try:
        run_id = started_run(services, 60)  # two chunks of clients, then the coach
        assert outbox.relay(postgres_engine, broker, lease_seconds=LEASE) == 2
        redis.stop()
        redis.start()  # empty: nothing was saved
        lost_at = time.monotonic()
        env = {**worker_env(postgres_engine, redis.url, NAMESPACE), "OUTBOX_LEASE_SECONDS": "10"}
        worker = start_worker(env)
        with reconciling(postgres_engine, broker):
            wait_for(lambda: run_status(postgres_engine, run_id).pending == 0, 120, "the run")
        recovered = time.monotonic() - lost_at
    finally:
        if worker:
            stop(worker)
        broker.close()
        redis.stop()

    subjects = digest_subjects(postgres_engine)
    status = run_status(postgres_engine, run_id)
    print(
        f"\nfault: redis restarted empty after relay — {status.total} subjects done in "
        f"{recovered:.0f} s, {requeues(postgres_engine)} message(s) re-enqueued, "
        f"{len(subjects) - len(set(subjects))} duplicated"
    )
    assert (status.done, status.failed) == (61, 0)
    assert len(subjects) == len(set(subjects)) == 61
    assert requeues(postgres_engine) == 2  # each lost chunk once
    assert recovered < LEASE + RECONCILE + 60


def test_a_worker_killed_mid_run_resumes_within_90_seconds(postgres_engine):
    redis = OwnRedis()
    redis.start()
    services = services_on(postgres_engine)
    broker = actors.bind(make_broker(redis.url, NAMESPACE, postgres_engine, 30_000))
    env = {
        **worker_env(postgres_engine, redis.url, NAMESPACE),
        "WORKER_HEARTBEAT_TIMEOUT_MS": "30000",  # the default
        "REDIS_MAINTENANCE_CHANCE": "1",  # Dramatiq's own requeue all but never runs
    }
    workers = []
    try:
        run_id = started_run(services, 150)
        workers.append(start_worker(env))
        wait_for(lambda: run_status(postgres_engine, run_id).done >= 5, 60, "the first digests")
        stop(workers[0], signal.SIGKILL)  # dies holding its fetched messages
        killed_at = time.monotonic()
        workers.append(start_worker(env))
        with reconciling(postgres_engine, broker):
            wait_for(lambda: run_status(postgres_engine, run_id).pending == 0, 150, "the run")
        resumed = time.monotonic() - killed_at
    finally:
        for worker in workers:
            stop(worker)
        broker.close()
        redis.stop()

    subjects = digest_subjects(postgres_engine)
    status = run_status(postgres_engine, run_id)
    print(
        f"\nfault: worker SIGKILLed mid-run — {status.total} subjects done {resumed:.0f} s after "
        f"the kill, {requeues(postgres_engine)} re-enqueued, "
        f"{len(subjects) - len(set(subjects))} duplicated"
    )
    assert (status.done, status.failed) == (151, 0)
    assert len(subjects) == len(set(subjects)) == 151
    assert resumed < 30 + RECONCILE + 60  # heartbeat timeout + interval + the remaining work
