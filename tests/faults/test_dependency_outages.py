"""The long-running processes ride out a PostgreSQL outage: logged once, no exit, carry on where they stopped.

The follower and the scheduler reach PostgreSQL only through a TCP proxy of
the test's own, which cuts every connection and refuses new ones for a
while, as a database restart or a partition does.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from dramatiq.brokers.stub import StubBroker
from live_api import schema_of, services_on
from polling import eventually
from seeded_clients import enrol_seed_clients

from eventstore.engine import make_engine
from projections import queries
from services.jobs.tables import scheduler_ticks
from workers import scheduler
from workers.follower import follow_forever
from workers.outage import Outage

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

OUTAGE_SECONDS = 3.0


class Lines:
    def __init__(self) -> None:
        self.events: list[str] = []

    def warning(self, event: str, **_fields) -> None:
        self.events.append(event)


@pytest.fixture
def behind_proxy(postgres_engine, proxy):
    """An engine on the test's schema that reaches PostgreSQL only through the proxy."""
    url = postgres_engine.url.set(host="127.0.0.1", port=proxy.port)
    engine = make_engine(
        url.render_as_string(hide_password=False),
        connect_args={
            "options": f"-c search_path={schema_of(postgres_engine)}",
            "sslmode": "disable",
            "connect_timeout": 2,
        },
    )
    yield engine
    engine.dispose()


def view_of(services, client: str):
    with services.engine.connect() as conn:
        return queries.client_view(conn, "org-a", client)


def test_the_follower_logs_a_database_outage_once_and_catches_up_after_it(
    postgres_engine, behind_proxy, proxy
):
    writer, follower = services_on(postgres_engine), services_on(behind_proxy)
    stop, lines = threading.Event(), Lines()
    thread = threading.Thread(
        target=follow_forever,
        args=(follower.projections, stop, 0.05),
        kwargs={"outage": Outage("projection follower", lines)},
        daemon=True,
    )
    thread.start()
    [before] = enrol_seed_clients(writer, "org-a", 1)
    assert eventually(lambda: view_of(writer, before) is not None, 60)

    proxy.refuse()
    proxy.cut()
    [during] = enrol_seed_clients(
        writer, "org-a", 1
    )  # stored while the follower cannot reach the database
    time.sleep(OUTAGE_SECONDS)
    assert thread.is_alive() and lines.events == ["dependency unavailable"]
    assert view_of(writer, during) is None

    proxy.refuse(False)
    assert eventually(lambda: view_of(writer, during) is not None, 60)
    # The line follows the caught-up batch's commit: the view may be seen a moment before it.
    back = ["dependency unavailable", "dependency available again"]
    assert eventually(lambda: lines.events == back, 10), lines.events
    assert thread.is_alive()
    stop.set()
    thread.join(10)


def test_a_slot_due_while_the_database_is_down_fires_once_it_answers(
    behind_proxy, proxy, postgres_engine
):
    class Jobs:
        """Stands in for APScheduler: keeps each job so the test can run it at the moment it chooses."""

        def __init__(self) -> None:
            self.jobs: dict[str, tuple] = {}

        def add_job(self, fn, _trigger, args=(), id=None, **_options) -> None:  # noqa: A002 - APScheduler's name
            self.jobs[id] = (fn, args)

        def run(self, name: str) -> None:
            fn, args = self.jobs[name]
            fn(*args)

    broker, jobs = StubBroker(), Jobs()
    broker.declare_queue("alignment")
    due = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
    lock = scheduler.schedule(jobs, behind_proxy, broker, clock=lambda: due)

    proxy.refuse()
    proxy.cut()
    jobs.run("alignment-sweep")  # 02:00 comes while PostgreSQL is unreachable
    jobs.run("relay")
    proxy.refuse(False)
    jobs.run("relay")  # the next second: the slot fires now, and its message is relayed
    jobs.run("relay")

    with postgres_engine.connect() as conn:
        slots = conn.execute(sa.select(scheduler_ticks.c.slot)).scalars().all()
    assert slots == [scheduler.JOBS[0].slot(due)]
    assert broker.queues["alignment"].qsize() == 1
    lock.release()
