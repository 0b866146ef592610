"""Actors on Dramatiq's StubBroker (no retries): sweeps, digest runs, exactly once, failures kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from plan_histories import Clock, context, enrol_seed_client
from stub_workers import stub_workers

from domain import commands as c
from services.digests import generation
from services.digests import runs as digest_runs
from services.digests.tables import digest_run_items, digests
from services.jobs import failures
from services.jobs.tables import failed_jobs, outbox
from workers import scheduler


@pytest.fixture
def stub(engine):
    clock = Clock()
    with stub_workers(engine, clock) as (services, broker, actors, drain):
        yield services, clock, broker, actors, drain


def alignment_checks(services, client: str) -> list:
    return [
        e for e in services.store.read_stream(f"client-{client}") if e.type == "AlignmentChecked"
    ]


def test_a_sweep_checks_every_client_once_per_slot(stub):
    services, clock, broker, actors, drain = stub
    clients = [enrol_seed_client(services.plans, clock) for _ in range(3)]
    clock.now += timedelta(days=60)
    job = scheduler.JOBS[0]

    assert scheduler.fire(services.engine, job, clock.now)
    assert not scheduler.fire(services.engine, job, clock.now)  # the slot fired already
    drain()
    actors.check_alignment.send(
        organisation_id="org-a", client_id=clients[0], slot=job.slot(clock.now)
    )
    drain()  # a redelivered check records nothing

    assert [len(alignment_checks(services, c)) for c in clients] == [1, 1, 1]
    findings = alignment_checks(services, clients[0])[0].data["findings"]
    assert {"goal_overdue", "goal_stalled"} & {f["rule"] for f in findings}


def test_a_digest_run_writes_one_digest_per_client_and_coach_and_one_for_the_organisation(stub):
    services, clock, broker, actors, drain = stub
    clients = [enrol_seed_client(services.plans, clock) for _ in range(3)]
    clock.now += timedelta(days=100)
    services.projections.catch_up()

    actors.start_digest_runs.send(slot="2026-Q2", kind="quarterly")
    drain()
    (run_id,) = digest_runs.start_runs(
        services.engine, "quarterly", clock.now
    )  # the same run again
    actors.generate_client_digests.send(run_id=run_id, client_ids=clients)  # a redelivery
    drain()

    with services.engine.connect() as conn:
        status = digest_runs.run_status(conn, run_id)
        subjects = conn.execute(sa.select(digests.c.subject)).scalars().all()
    assert (status.total, status.done, status.failed) == (5, 5, 0) and status.finished_at
    assert sorted(subjects) == sorted(
        [f"client:{c}" for c in clients] + ["coach:coach-1", "organisation:org-a"]
    )


def test_each_coach_digest_holds_only_the_clients_they_coached(stub):
    services, clock, broker, actors, drain = stub
    clients = [enrol_seed_client(services.plans, clock) for _ in range(3)]
    services.plans.execute(clients[1], c.ReassignCoach(coach_id="coach-2"), context())
    clock.now += timedelta(days=100)
    services.projections.catch_up()

    actors.start_digest_runs.send(slot="2026-Q2", kind="quarterly")
    drain()

    with services.engine.connect() as conn:
        coach_digests = {
            row.subject: row.content
            for row in conn.execute(
                sa.select(digests.c.subject, digests.c.content).where(
                    digests.c.subject.like("coach:%")
                )
            )
        }
    assert sorted(coach_digests) == ["coach:coach-1", "coach:coach-2"]
    assert coach_digests["coach:coach-1"]["clients"]["total"] == 2
    assert coach_digests["coach:coach-2"]["clients"]["total"] == 1
    assert {e["client_id"] for e in coach_digests["coach:coach-2"]["attention"]} <= {clients[1]}


def test_coach_digests_are_queued_once_when_the_last_client_item_is_done(stub):
    services, clock, broker, actors, drain = stub
    clients = sorted(enrol_seed_client(services.plans, clock) for _ in range(3))
    clock.now += timedelta(days=100)
    services.projections.catch_up()
    run_id = digest_runs.start_run(services.engine, "org-a", "quarterly", clock.now)
    queued = (
        sa.select(sa.func.count())
        .select_from(outbox)
        .where(outbox.c.actor_name == "generate_coach_digests")
    )

    counts = []
    for client in (clients[2], clients[0], clients[1], clients[1]):  # last: a redelivery
        generation.generate_client_digests(services.engine, services.store, run_id, [client])
        with services.engine.connect() as conn:
            counts.append(conn.execute(queued).scalar_one())

    assert counts == [0, 0, 1, 1]


def test_a_failing_digest_is_recorded_and_can_be_redriven(stub, monkeypatch):
    services, clock, broker, actors, drain = stub
    client = enrol_seed_client(services.plans, clock)
    services.projections.catch_up()
    import services.digests.generation as generation

    real = generation.client_digest
    monkeypatch.setattr(generation, "client_digest", lambda *a, **k: 1 / 0)
    run_id = digest_runs.start_run(
        services.engine, "org-a", "weekly", clock.now + timedelta(weeks=1)
    )
    drain()
    with services.engine.connect() as conn:
        (failed,) = conn.execute(sa.select(failed_jobs)).mappings().all()
        item = conn.execute(
            sa.select(digest_run_items.c.status, digest_run_items.c.error).where(
                digest_run_items.c.subject == f"client:{client}"
            )
        ).one()
    assert failed["actor_name"] == "generate_client_digests" and "DigestsFailed" in failed["error"]
    assert item.status == "failed" and "ZeroDivisionError" in item.error

    monkeypatch.setattr(generation, "client_digest", real)
    assert failures.redrive(services.engine) == 1
    drain()
    with services.engine.connect() as conn:
        assert digest_runs.run_status(conn, run_id).done == 3  # the client, the coach, the org


def test_a_run_whose_messages_were_lost_resumes_without_redoing_finished_clients(stub):
    services, clock, broker, actors, drain = stub
    clients = [enrol_seed_client(services.plans, clock) for _ in range(3)]
    services.projections.catch_up()
    run_id = digest_runs.start_run(
        services.engine, "org-a", "weekly", clock.now + timedelta(weeks=1)
    )
    with services.engine.begin() as conn:  # the chunk's message is lost after one client was done
        conn.execute(sa.text("DELETE FROM outbox"))
    actors.generate_client_digests.send(run_id=run_id, client_ids=clients[:1])
    drain()
    with services.engine.connect() as conn:
        assert digest_runs.run_status(conn, run_id).done == 1

    # two clients, the coach and the organisation
    assert digest_runs.resume_run(services.engine, run_id) == 4
    drain()

    with services.engine.connect() as conn:
        status = digest_runs.run_status(conn, run_id)
        subjects = conn.execute(sa.select(digests.c.subject)).scalars().all()
    assert (status.done, status.pending) == (5, 0) and len(subjects) == len(set(subjects)) == 5
    assert "organisation:org-a" in subjects
