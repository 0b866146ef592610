"""Real Redis, real worker processes: sweeps, killed workers and a Redis outage lose nothing."""

from __future__ import annotations

import random
import signal
from datetime import timedelta

import pytest
import sqlalchemy as sa
from coaches_support import with_test_rosters
from plan_histories import Clock, clone_seed_clients, context, enrol_seed_client, try_step
from settings_support import TEST_MASTER_KEY
from workers_support import OwnRedis, start_worker, stop, wait_for, worker_env

from careerplan.bootstrap import bootstrap
from careerplan.seed_example import GOAL_KEYS, seed_id
from careerplan.settings import Settings
from domain.alignment import check_alignment
from domain.alignment_policy import AlignmentPolicy
from domain.commands import DropGoal, PauseGoal
from domain.dates import local_today
from domain.plan import CareerPlan
from eventstore.schema import events
from services.digests import runs as digest_runs
from services.digests.tables import digest_run_items, digests
from services.jobs import outbox
from services.plans.event_mapping import to_domain
from workers import scheduler
from workers.process import build

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def make_services(engine, redis_url: str, namespace: str, clock: Clock):
    settings = Settings(
        database_url=str(engine.url),
        redis_url=redis_url,
        redis_namespace=namespace,
        migrate_on_start=False,
        api_key_secret="s" * 32,
        master_key=TEST_MASTER_KEY,
    )
    return with_test_rosters(bootstrap(settings, engine=engine, clock=clock))


def count(engine, query) -> int:
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def run_done(engine, run_id: str) -> int:
    with engine.connect() as conn:
        return digest_runs.run_status(conn, run_id).done


def checks_recorded(engine) -> int:
    return count(
        engine,
        sa.select(sa.func.count()).select_from(events).where(events.c.type == "AlignmentChecked"),
    )


def test_a_sweep_over_200_clients_records_the_domain_findings_once_each(
    postgres_engine, redis_namespace
):
    redis_url, namespace = redis_namespace
    clock = Clock()
    services = make_services(postgres_engine, redis_url, namespace, clock)
    # 40 clients enrolled through commands, with hand-built cases: a dropped first goal (its
    # follower and its requirement are flagged), a paused one (exempt from stall and overdue),
    # and random everyday steps on the others; 160 more cloned from the seed's events.
    clients = [enrol_seed_client(services.plans, clock) for _ in range(40)]
    first = {c: seed_id(c, "goal", GOAL_KEYS[0]) for c in clients[:2]}
    services.plans.execute(
        clients[0], DropGoal(goal_id=first[clients[0]], reason="changed course"), context()
    )
    services.plans.execute(
        clients[1], PauseGoal(goal_id=first[clients[1]], reason="parental leave"), context()
    )
    rng = random.Random(7)
    for client in clients[2:]:
        for _ in range(8):
            try_step(services.plans, clock, client, rng.randrange(11), rng.randrange(50), days=0)
    clients += clone_seed_clients(services.store, clock, 160)
    services.projections.catch_up()
    clock.now += timedelta(days=45)
    env = worker_env(postgres_engine, redis_url, namespace)
    workers = [start_worker(env) for _ in range(2)]
    try:
        assert scheduler.fire(services.engine, scheduler.JOBS[0], clock.now)
        assert not scheduler.fire(services.engine, scheduler.JOBS[0], clock.now)
        wait_for(lambda: checks_recorded(postgres_engine) >= 200, 120, "200 alignment checks")
    finally:
        for worker in workers:
            stop(worker)

    assert checks_recorded(postgres_engine) == 200
    findings = {}
    for client in clients:
        stored = services.store.read_stream(f"client-{client}")
        *before, checked = stored
        plan = CareerPlan.replay(to_domain(e) for e in before)
        today = local_today(checked.recorded_at, plan.timezone)
        expected = check_alignment(plan, today, AlignmentPolicy())
        assert [f["rule"] for f in checked.data["findings"]] == [f.rule for f in expected]
        findings[client] = {(f.rule, f.goal_id) for f in expected}
    dropped, paused = clients[0], clients[1]
    assert ("follows_dropped_goal", seed_id(dropped, "goal", GOAL_KEYS[1])) in findings[dropped]
    assert "requirement_uncovered" in {rule for rule, _ in findings[dropped]}
    assert not {("goal_overdue", first[paused]), ("goal_stalled", first[paused])} & findings[paused]
    assert len({rule for found in findings.values() for rule, _ in found}) >= 5


@pytest.mark.faults
def test_a_worker_killed_mid_digest_leaves_no_duplicate(postgres_engine, redis_namespace):
    redis_url, namespace = redis_namespace
    clock = Clock()
    services = make_services(postgres_engine, redis_url, namespace, clock)
    clone_seed_clients(services.store, clock, 150)
    services.projections.catch_up()
    run_id = digest_runs.start_run(
        services.engine, "org-a", "weekly", clock.now + timedelta(weeks=1)
    )  # enrolment's week
    env = worker_env(postgres_engine, redis_url, namespace)
    done = (
        sa.select(sa.func.count())
        .select_from(digest_run_items)
        .where(digest_run_items.c.run_id == run_id, digest_run_items.c.status == "done")
    )

    first = start_worker(env)
    try:
        wait_for(lambda: count(postgres_engine, done) >= 5, 60, "the first digests")
    finally:
        stop(first, signal.SIGKILL)  # dies holding unacknowledged messages
    second = start_worker(env)
    try:
        wait_for(lambda: count(postgres_engine, done) == 152, 120, "every digest after redelivery")
    finally:
        stop(second)

    with postgres_engine.connect() as conn:
        rows = conn.execute(sa.select(digests.c.subject)).scalars().all()
        status = digest_runs.run_status(conn, run_id)
    print(
        f"\nfault: worker killed with SIGKILL mid-batch — 152 digests in the run, {152 - len(set(rows))} lost, "
        f"{len(rows) - len(set(rows))} duplicated"
    )
    assert len(rows) == len(set(rows)) == 152
    assert (status.done, status.failed) == (152, 0)


@pytest.mark.faults
def test_redis_stopped_and_restarted_loses_no_work(postgres_engine):
    redis = OwnRedis()
    redis.start()
    clock = Clock()
    services = make_services(postgres_engine, redis.url, "careerplan-outage", clock)
    clone_seed_clients(services.store, clock, 20)
    services.projections.catch_up()
    broker = build(services)
    try:
        redis.stop()
        run_id = digest_runs.start_run(
            services.engine, "org-a", "weekly", clock.now + timedelta(weeks=1)
        )  # enrolment's week
        with pytest.raises(Exception):
            outbox.relay(services.engine, broker)  # Redis is down: the messages stay in the outbox
        assert outbox.unsent(services.engine) == 1
        redis.start()
        worker = start_worker(worker_env(postgres_engine, redis.url, "careerplan-outage"))
        try:
            wait_for(lambda: outbox.unsent(services.engine) == 0, 60, "the outbox to drain")
            wait_for(lambda: run_done(postgres_engine, run_id) == 22, 90, "the run to finish")
        finally:
            stop(worker)
    finally:
        broker.close()
        redis.stop()
    with postgres_engine.connect() as conn:
        subjects = conn.execute(sa.select(digests.c.subject)).scalars().all()
    print(
        f"\nfault: redis stopped and restarted — 1 run of 22 digests sent while Redis was down, "
        f"{22 - len(set(subjects))} lost, {len(subjects) - len(set(subjects))} duplicated"
    )
    assert len(subjects) == len(set(subjects)) == 22
