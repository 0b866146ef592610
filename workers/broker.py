"""The Dramatiq broker: Redis in production, an in-process stub on the embedded default."""

from __future__ import annotations

import dramatiq
import redis
import sqlalchemy as sa
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from workers.failures import RecordFinalFailures
from workers.leases import OutboxLeases

MAX_RETRIES = 5
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 5 * 60_000


def middleware(engine: sa.Engine) -> list:
    """Retries with exponential backoff, limits, a durable record of final failures, outbox leases.

    Dramatiq runs "after" hooks in reverse order, so RecordFinalFailures and
    OutboxLeases sit before Retries to see a message after Retries has marked it failed.
    """
    return [
        AgeLimit(),
        TimeLimit(time_limit=10 * 60_000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        OutboxLeases(engine),
        RecordFinalFailures(engine),
        Retries(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS),
    ]


def make_broker(
    redis_url: str | None,
    namespace: str,
    engine: sa.Engine,
    heartbeat_timeout_ms: int = 30_000,
    maintenance_chance: int = 1000,
    socket_timeout_s: float = 5.0,
) -> dramatiq.Broker:
    """A Redis broker under its own key namespace, or a stub broker when there is no Redis.

    `heartbeat_timeout_ms` is the Redis broker's redelivery rule: messages a
    worker took and never acknowledged (it was killed, its machine lost) go
    back to the queue once that worker's heartbeat is this old. The default,
    30 s, is long enough not to steal from a live but busy worker (heartbeats
    come every few seconds) and short enough that a killed batch resumes soon.
    The requeue happens during queue maintenance, which runs on
    `maintenance_chance` in a million broker commands (Dramatiq's default 1000).
    Every Redis command and connection attempt gives up after `socket_timeout_s`
    (and TCP keepalives find a vanished Redis), so a Redis that stops answering
    is an error to back off from, never a hang.
    """
    if redis_url is None:
        broker: dramatiq.Broker = StubBroker(middleware=middleware(engine))
        broker.emit_after("process_boot")
        return broker
    client = redis.Redis.from_url(
        redis_url,
        socket_timeout=socket_timeout_s,
        socket_connect_timeout=socket_timeout_s,
        socket_keepalive=True,
    )
    return RedisBroker(
        client=client,
        namespace=namespace,
        heartbeat_timeout=heartbeat_timeout_ms,
        maintenance_chance=maintenance_chance,
        middleware=middleware(engine),
    )
