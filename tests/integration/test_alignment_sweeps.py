"""An organisation's re-alignment sweep over HTTP, on the stub broker: once a day, its checks recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from coaches_support import add_coaches
from plan_histories import Clock, enrol_seed_client
from stub_workers import stub_workers

from api import create_app
from services.alignment import checks as alignment
from services.alignment import sweeps
from services.jobs.tables import outbox
from services.plans import ClientNotFound
from workers import scheduler


@pytest.fixture
def world(engine):
    clock = Clock()
    with stub_workers(engine, clock) as (services, broker, actors, drain):
        yield services, clock, create_app(services=services).test_client(), drain


def checks(services, client: str) -> list:
    return [
        e for e in services.store.read_stream(f"client-{client}") if e.type == "AlignmentChecked"
    ]


def test_a_sweep_is_started_once_a_day_and_its_checks_are_recorded_by_the_workers(world):
    services, clock, http, drain = world
    organisation, key = services.tenancy.organisations.create("Acme Coaching")
    add_coaches(services, organisation.organisation_id)
    admin = {"Authorization": f"Bearer {key.key}"}
    ours = [
        enrol_seed_client(services.plans, clock, organisation.organisation_id) for _ in range(2)
    ]
    theirs = enrol_seed_client(services.plans, clock, "another-organisation")
    clock.now += timedelta(days=60)

    started = http.post("/v1/alignment-sweeps", headers=admin)
    assert started.status_code == 202, started.json
    again = http.post("/v1/alignment-sweeps", headers=admin)
    assert again.status_code == 200 and again.json == started.json
    day = clock.now.date().isoformat()
    assert started.json["day"] == day and (started.json["queued"], started.json["waiting"]) == (
        2,
        2,
    )

    drain()
    assert [len(checks(services, client)) for client in ours] == [1, 1] and checks(
        services, theirs
    ) == []
    findings = {f["rule"] for f in checks(services, ours[0])[0].data["findings"]}
    assert {"goal_overdue", "goal_stalled"} & findings
    status = http.get(f"/v1/alignment-sweeps/{day}", headers=admin).json
    assert (
        status["sweep_id"],
        status["queued"],
        status["relayed"],
        status["waiting"],
        status["failed"],
    ) == (started.json["sweep_id"], 2, 2, 0, 0)
    current = http.get(f"/v1/clients/{ours[0]}/findings", headers=admin).json
    assert current["check_id"] == checks(services, ours[0])[0].data["check_id"]

    assert http.post("/v1/alignment-sweeps", headers=admin).status_code == 200
    assert scheduler.fire(
        services.engine, scheduler.JOBS[0], clock.now
    )  # the nightly sweep is its own
    drain()
    assert [len(checks(services, client)) for client in ours] == [2, 2] and len(
        checks(services, theirs)
    ) == 1

    clock.now += timedelta(days=1)
    next_day = http.post("/v1/alignment-sweeps", headers=admin)
    assert next_day.status_code == 202 and next_day.json["sweep_id"] != started.json["sweep_id"]
    drain()
    assert [len(checks(services, client)) for client in ours] == [3, 3]


def test_only_an_admin_sweeps_and_a_day_never_swept_is_not_found(world):
    services, clock, http, drain = world
    organisation, key = services.tenancy.organisations.create("Acme Coaching")
    add_coaches(services, organisation.organisation_id)
    coach = services.tenancy.keys.issue(organisation.organisation_id, "coach", "coach-1")
    admin = {"Authorization": f"Bearer {key.key}"}

    refused = http.post("/v1/alignment-sweeps", headers={"Authorization": f"Bearer {coach.key}"})
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert http.get("/v1/alignment-sweeps/2020-01-01", headers=admin).status_code == 404
    assert http.get("/v1/alignment-sweeps/not-a-day", headers=admin).status_code == 404
    assert http.post("/v1/alignment-sweeps", headers=admin).json["queued"] == 0


def test_a_sweep_queues_a_message_per_chunk_of_clients_and_counts_their_checks(world, monkeypatch):
    services, clock, http, drain = world
    monkeypatch.setattr(sweeps, "CHUNK", 2)
    organisation, key = services.tenancy.organisations.create("Acme Coaching")
    add_coaches(services, organisation.organisation_id)
    admin = {"Authorization": f"Bearer {key.key}"}
    ours = [
        enrol_seed_client(services.plans, clock, organisation.organisation_id) for _ in range(3)
    ]
    clock.now += timedelta(days=60)

    started = http.post("/v1/alignment-sweeps", headers=admin).json
    with services.engine.connect() as conn:
        messages = conn.execute(
            sa.select(outbox.c.kwargs, outbox.c["items"]).where(outbox.c.slot.is_not(None))
        ).all()
    assert sorted(m.items for m in messages) == [1, 2] and (
        started["queued"],
        started["waiting"],
    ) == (3, 3)
    assert sorted(c for m in messages for c in m.kwargs["client_ids"]) == sorted(ours)

    drain()
    assert [len(checks(services, client)) for client in ours] == [1, 1, 1]
    status = http.get(f"/v1/alignment-sweeps/{started['day']}", headers=admin).json
    assert (status["queued"], status["relayed"], status["waiting"], status["failed"]) == (
        3,
        3,
        0,
        0,
    )


def test_a_chunk_checks_every_client_before_it_raises_for_one_that_failed(world):
    services, clock, _, _ = world
    ours = [enrol_seed_client(services.plans, clock, "org-a") for _ in range(2)]
    theirs = enrol_seed_client(services.plans, clock, "another-organisation")
    clock.now += timedelta(days=60)

    with pytest.raises(ClientNotFound):
        alignment.run_alignment_checks(
            services.plans, services.engine, "org-a", [ours[0], theirs, ours[1]], "2026-06-01"
        )

    assert [len(checks(services, client)) for client in ours] == [1, 1]
    assert (
        alignment.run_alignment_checks(  # the retry records nothing again
            services.plans, services.engine, "org-a", ours, "2026-06-01"
        )
        == 0
    )
