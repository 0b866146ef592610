"""The service's actors on Dramatiq's StubBroker (no retries) with an in-process worker, for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType

import dramatiq
import sqlalchemy as sa
from coaches_support import with_test_rosters
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries
from settings_support import TEST_MASTER_KEY

from careerplan.bootstrap import Services, bootstrap
from careerplan.settings import Settings
from services.jobs import outbox
from workers import actors, context
from workers.failures import RecordFinalFailures
from workers.leases import OutboxLeases


@contextmanager
def stub_workers(
    engine: sa.Engine,
    clock,
) -> Iterator[tuple[Services, StubBroker, ModuleType, Callable[[], None]]]:
    """(services, broker, actors, drain): `drain()` runs all sent or in the outbox until none is left.

    `actors` is the `workers.actors` module, bound to this test's broker and services.
    """
    services = bootstrap(
        Settings(
            database_url=str(engine.url),
            migrate_on_start=False,
            api_key_secret="x" * 32,
            master_key=TEST_MASTER_KEY,
        ),
        engine=engine,
        clock=clock,
    )
    with_test_rosters(services)  # the made-up tenants the tests enrol clients in
    broker = StubBroker(
        middleware=[OutboxLeases(engine), RecordFinalFailures(engine), Retries(max_retries=0)],
    )
    broker.emit_after("process_boot")
    context.use(services)
    actors.bind(broker)
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()

    def drain() -> None:
        while True:
            for queue in broker.get_declared_queues():
                broker.join(queue, fail_fast=False)
            worker.join()
            if not outbox.relay(engine, broker):
                return

    try:
        yield services, broker, actors, drain
    finally:
        worker.stop()
        context.use(None)
        services.store.close()
