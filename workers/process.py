"""Run workers in this process: Dramatiq worker threads plus an outbox relay."""

from __future__ import annotations

import signal
import threading

import dramatiq
import structlog

from services.jobs import outbox
from workers import actors, context
from workers.broker import make_broker
from workers.outage import Outage, work_until

log = structlog.get_logger(__name__)


def build(services) -> dramatiq.Broker:
    """The broker for the process's settings, every actor bound to it and working with `services`."""
    settings = services.settings
    broker = make_broker(
        settings.redis_url,
        settings.redis_namespace,
        services.engine,
        settings.worker_heartbeat_timeout_ms,
        settings.redis_maintenance_chance,
        settings.redis_socket_timeout_s,
    )
    context.use(services)
    return actors.bind(broker)


def relay_forever(
    services, broker: dramatiq.Broker, stop: threading.Event, seconds: float = 1.0
) -> None:
    """Send outbox rows to the broker until `stop`; an outage of Redis or the database only delays them.

    An outage is logged once when it starts and once when it ends, with
    attempts backing off meanwhile; the rows wait in the outbox.
    """
    lease = services.settings.outbox_lease_seconds
    work_until(
        stop,
        lambda: outbox.relay(services.engine, broker, lease_seconds=lease),
        Outage("outbox relay"),
        seconds,
    )


def run(services, threads: int | None = None) -> None:
    """Process messages until SIGTERM/SIGINT, then finish the ones in hand and stop."""
    broker = build(services)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    worker = dramatiq.Worker(broker, worker_threads=threads or services.settings.worker_threads)
    worker.start()
    relay = threading.Thread(target=relay_forever, args=(services, broker, stop), daemon=True)
    relay.start()
    log.info(
        "worker started", threads=worker.worker_threads, queues=sorted(broker.get_declared_queues())
    )
    stop.wait()
    worker.stop()
    broker.close()
