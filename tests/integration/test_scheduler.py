"""Two schedulers: one leads, and a time slot fires once even if both try at the same instant."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from polling import eventually

from services.jobs.tables import outbox, scheduler_ticks
from workers import scheduler

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


HANDOVERS = 50


@pytest.mark.postgres
def test_only_one_scheduler_leads_and_a_successor_takes_over(postgres_engine):
    first, second = scheduler.LeaderLock(postgres_engine), scheduler.LeaderLock(postgres_engine)

    assert first.held() and first.held()
    assert not second.held()
    for _ in range(
        HANDOVERS
    ):  # the lead passes at once, every time (no wait for a backend to exit)
        first.release()  # the leader stops
        assert second.held()
        first, second = second, first
    first.release()


def test_a_slot_fired_by_two_schedulers_at_once_fires_once(engine):
    job, barrier, fired = scheduler.JOBS[0], threading.Barrier(2), []

    def tick(name: str) -> None:
        barrier.wait()
        fired.append(scheduler.fire(engine, job, NOW, fired_by=name))

    threads = [threading.Thread(target=tick, args=(f"scheduler-{n}",)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(fired) == [False, True]
    with engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(scheduler_ticks)).scalar_one() == 1
        )
        assert conn.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one() == 1
    assert scheduler.fire(engine, job, NOW.replace(day=28))  # the next slot fires again


@pytest.mark.postgres
def test_a_leader_whose_session_dies_stops_leading_and_another_takes_over(postgres_engine):
    first, second = scheduler.LeaderLock(postgres_engine), scheduler.LeaderLock(postgres_engine)
    assert first.held()
    leader_pid = first._conn.connection.dbapi_connection.info.backend_pid
    with postgres_engine.connect() as admin:
        admin.execute(sa.select(sa.func.pg_terminate_backend(leader_pid)))
    assert eventually(lambda: not first.held())  # its next check finds the session gone
    assert eventually(second.held)  # the terminated backend's lock goes with it
    second.release()
