"""The reconciler re-drives relayed work the broker lost, once, and never work that is done."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import dramatiq
import pytest
import redis
import sqlalchemy as sa
from dramatiq.broker import MessageProxy
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from plan_histories import Clock, enrol_seed_client
from stub_workers import stub_workers

from services.jobs import outbox
from services.jobs.reconcile import pending_stats, reconcile
from services.jobs.tables import outbox as outbox_rows
from workers import actors
from workers.holding import holding

LEASE = 60


def relayed(engine, broker, n: int = 1) -> list[str]:
    """`n` deliver_webhook messages recorded and relayed (no worker runs them)."""
    with engine.begin() as conn:
        ids = [
            outbox.record(conn, "deliver_webhook", "webhooks", delivery_id=f"d{i}")
            for i in range(n)
        ]
    assert outbox.relay(engine, broker, lease_seconds=LEASE) == n
    return ids


def rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(sa.select(outbox_rows).order_by(outbox_rows.c.id)).mappings()
        ]


def queued_ids(broker: StubBroker) -> list[str]:
    return [
        dramatiq.Message.decode(m).message_id for q in broker.queues.values() for m in list(q.queue)
    ]


@pytest.fixture
def broker():
    stub = actors.bind(StubBroker(middleware=[]))
    stub.emit_after("process_boot")
    return stub


def later(seconds: float = LEASE + 1):
    return outbox.now_utc() + timedelta(seconds=seconds)


def test_a_relayed_message_the_broker_lost_is_re_enqueued_once(engine, broker):
    (message_id,) = relayed(engine, broker)
    assert reconcile(engine, broker, holding(broker), LEASE).requeued == 0  # lease still runs
    broker.flush_all()  # Redis came back empty

    first = reconcile(engine, broker, holding(broker), LEASE, now=later())
    again = reconcile(engine, broker, holding(broker), LEASE, now=later())

    assert (first.requeued, again.requeued, again.renewed) == (1, 0, 0)
    assert queued_ids(broker) == [message_id]  # the same message, under its own id
    assert rows(engine)[0]["requeues"] == 1


def test_a_message_the_broker_still_holds_gets_a_new_lease_only(engine, broker):
    (message_id,) = relayed(engine, broker)

    result = reconcile(engine, broker, holding(broker), LEASE, now=later())

    assert (result.renewed, result.requeued) == (1, 0)
    assert queued_ids(broker) == [message_id]
    assert rows(engine)[0]["requeues"] == 0


def test_a_done_message_is_never_re_enqueued(engine, broker):
    (message_id,) = relayed(engine, broker)
    broker.flush_all()
    outbox.mark_done(engine, message_id)

    result = reconcile(engine, broker, holding(broker), LEASE, now=later(3600))

    assert (result.renewed, result.requeued) == (0, 0)
    assert queued_ids(broker) == []


def test_unsent_rows_are_the_relays_not_the_reconcilers(engine, broker):
    with engine.begin() as conn:
        outbox.record(conn, "deliver_webhook", "webhooks", delivery_id="d1")

    assert reconcile(engine, broker, holding(broker), LEASE, now=later()).requeued == 0
    assert outbox.unsent(engine) == 1


@pytest.mark.postgres
def test_two_reconcilers_at_once_re_enqueue_each_message_once(postgres_engine, broker):
    relayed(postgres_engine, broker, 40)
    broker.flush_all()
    start = threading.Barrier(2)

    def slow_holding(rows):
        time.sleep(0.3)  # hold the claimed rows while the other reconciler looks
        return set()

    results = []

    def run() -> None:
        start.wait()
        results.append(
            reconcile(postgres_engine, broker, slow_holding, LEASE, now=later(), batch_size=25)
        )

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.append(reconcile(postgres_engine, broker, slow_holding, LEASE, now=later()))

    assert sum(r.requeued for r in results) == 40
    assert sorted(queued_ids(broker)) == sorted(r["message_id"] for r in rows(postgres_engine))
    assert {r["requeues"] for r in rows(postgres_engine)} == {1}


def test_a_worker_marks_its_messages_done_and_the_oldest_pending_age_drops(engine):
    clock = Clock()
    with stub_workers(engine, clock) as (services, broker, _, drain):
        enrol_seed_client(services.plans, clock)
        services.projections.catch_up()
        from workers import scheduler

        assert scheduler.fire(engine, scheduler.JOBS[0], clock.now + timedelta(days=30))
        with engine.connect() as conn:
            oldest, _ = pending_stats(conn, now=later(10))
        assert oldest >= 10  # the sweep's message waits
        drain()

        done = [r["done_at"] is not None for r in rows(engine)]
        with engine.connect() as conn:
            assert pending_stats(conn) == (0.0, 0)
    assert len(done) == 2 and all(done)  # the sweep, then its check, through the outbox


@pytest.mark.redis
def test_redis_holds_waiting_messages_and_loses_those_of_a_dead_worker(redis_namespace, engine):
    url, namespace = redis_namespace
    broker = actors.bind(RedisBroker(url=url, namespace=namespace, heartbeat_timeout=1000))
    try:
        first, second, third = relayed(engine, broker, 3)
        refs = {r["message_id"]: r["broker_ref"] for r in rows(engine)}
        client = redis.Redis.from_url(url)
        # a dead worker fetched `second`: its reference sits in the worker's ack set
        client.lrem(f"{namespace}:webhooks", 0, refs[second])
        client.sadd(f"{namespace}:__acks__.dead-worker.webhooks", refs[second])
        client.zadd(f"{namespace}:__heartbeats__", {"dead-worker": 0})
        # and `third` is gone, as after Redis restarted empty
        client.hdel(f"{namespace}:webhooks.msgs", refs[third])

        held = holding(broker)([("webhooks", m, refs[m]) for m in (first, second, third)])
        result = reconcile(engine, broker, holding(broker), LEASE, now=later())
        client.close()
    finally:
        broker.close()

    assert held == {first}
    assert (result.renewed, result.requeued) == (1, 2)


def test_the_default_settings_re_drive_lost_work_within_two_minutes():
    from careerplan.settings import Settings

    defaults = Settings()
    assert defaults.outbox_lease_seconds + defaults.reconcile_seconds <= 120
    assert defaults.worker_heartbeat_timeout_ms / 1000 + defaults.reconcile_seconds <= 90


def test_the_scheduler_reconciles_every_interval_when_it_leads(engine, broker):
    from apscheduler.schedulers.background import BackgroundScheduler

    from workers import scheduler

    periodic = BackgroundScheduler(timezone="UTC")
    lock = scheduler.schedule(periodic, engine, broker, outbox.now_utc, reconcile_seconds=30)
    try:
        job = periodic.get_job("reconcile")
        assert job.trigger.interval == timedelta(seconds=30)
        (message_id,) = relayed(engine, broker)
        broker.flush_all()
        with engine.begin() as conn:  # the lease has run out
            conn.execute(outbox_rows.update().values(leased_until=later(-1)))
        job.func()
    finally:
        lock.release()

    assert queued_ids(broker) == [message_id]
    assert rows(engine)[0]["requeues"] == 1


def test_the_middleware_follows_retries_and_marks_finished_or_abandoned_messages(engine, broker):
    from workers.leases import OutboxLeases

    first, second = relayed(engine, broker, 2)
    leases = OutboxLeases(engine)

    def message(message_id: str, **options) -> MessageProxy:
        return MessageProxy(
            dramatiq.Message("webhooks", "deliver_webhook", (), {}, options, message_id)
        )

    leases.after_enqueue(broker, message(first, redis_message_id="relay-copy"), None)
    ref_after_relay = rows(engine)[0]["broker_ref"]
    leases.after_enqueue(broker, message(first, retries=1, redis_message_id="retry"), 1000)
    leases.after_enqueue(broker, message(first, retries=1, redis_message_id="due"), None)
    retrying = message(first, retries=1)
    leases.after_process_message(broker, retrying, exception=RuntimeError("try again"))
    abandoned = message(second, retries=5)
    abandoned.fail()
    leases.after_process_message(broker, abandoned, exception=RuntimeError("gave up"))

    first_row, second_row = rows(engine)
    assert ref_after_relay is None  # the relay's own enqueue is not the middleware's business
    assert first_row["broker_ref"] == "due" and first_row["done_at"] is None
    assert second_row["done_at"] is not None
