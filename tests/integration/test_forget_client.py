"""Erasure by crypto-shredding: a forgotten client's personal text is nowhere in the database in the clear.

The client's personal text (a name, a goal statement, a destination, a note,
a requirement, a review note) is unique to them, so every table can be
searched for it. Their history stays, chained and verifiable, with the fields
erased; the other client is untouched.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from plan_histories import Clock, context
from stub_workers import stub_workers
from tampering import tables_holding

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from domain import commands as c
from domain.values import TermsPatch
from projections.client_projection import ClientViewProjection
from projections.rebuild import check, rebuild
from projections.runner import lock_checkpoint
from services.digests import runs as digest_runs
from services.digests.tables import digests
from services.jobs.tables import failed_jobs
from services.plans import ClientForgotten, ClientNotFound
from services.plans.event_mapping import stream_id
from workers import scheduler


@pytest.fixture
def world(engine):
    """Services with sealing on, the actors on a stub broker, and a drain that runs all pending work."""
    clock = Clock()
    with stub_workers(engine, clock) as (services, _, actors, drain):
        yield services, clock, actors, drain


def personal_client(services, clock, marker: str) -> str:
    """A seed client whose personal text all carries `marker`; returns the client id."""
    client = str(uuid.uuid4())
    for command in seed_example_commands(client, "org-a", "coach-1", clock.now.date()):
        if isinstance(command, c.EnrolClient):
            command = replace(command, display_name=f"{marker} name")
        services.plans.execute(client, command, context())
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    for command in (
        c.ReviseDestination(statement=f"{marker} destination statement"),
        c.AddRequirement(
            requirement_id=str(uuid.uuid4()), kind="skill", description=f"{marker} requirement"
        ),
        c.RefineGoal(goal_id=goal, changes=TermsPatch(statement=f"{marker} goal statement")),
        c.RecordCheckIn(
            goal_id=goal,
            check_in_id=str(uuid.uuid4()),
            confidence=6,
            value=2,
            note=f"{marker} check-in note",
        ),
    ):
        services.plans.execute(client, command, context())
    return client


def test_a_forgotten_clients_personal_text_is_in_no_table_and_the_history_still_verifies(world):
    services, clock, actors, drain = world
    forgotten, kept = (
        personal_client(services, clock, "ZEBRA-7"),
        personal_client(services, clock, "OKAPI-3"),
    )
    services.projections.catch_up()
    clock.now += timedelta(days=100)
    assert scheduler.fire(services.engine, scheduler.JOBS[0], clock.now)  # the re-alignment sweep
    actors.start_digest_runs.send(slot="2026-Q2", kind="quarterly")
    drain()
    services.projections.catch_up()

    sealed_in_events = tables_holding(services.engine, "ZEBRA-7")
    assert "events" not in sealed_in_events  # sealed from the first event on
    assert {"client_views", "caseload_rows", "digests"} <= set(sealed_in_events)
    findings = [
        e for e in services.store.read_stream(stream_id(forgotten)) if e.type == "AlignmentChecked"
    ]
    assert any("ZEBRA-7" in f["message"] for f in findings[0].data["findings"])  # opened on read
    organisation_digest = sa.select(digests.c.content).where(
        digests.c.subject == "organisation:org-a"
    )
    with services.engine.connect() as conn:
        assert "ZEBRA-7" in json.dumps(conn.execute(organisation_digest).scalar_one())  # names it

    report = services.erasure.forget("org-a", forgotten, actor="admin-1")

    assert report.key_destroyed and report.rows_purged["client_views"] == 1
    assert tables_holding(services.engine, "ZEBRA-7") == []
    with services.engine.connect() as conn:
        assert conn.execute(organisation_digest).first() is None  # purged with the client's
    print(
        f"forget: {sum(report.rows_purged.values())} rows purged {report.rows_purged}; "
        f"plaintext left in tables: {tables_holding(services.engine, 'ZEBRA-7')}"
    )
    assert {"client_views", "caseload_rows", "digests"} <= set(
        tables_holding(services.engine, "OKAPI-3")
    )

    history = services.store.read_stream(stream_id(forgotten))
    enrolled = history[0]
    assert enrolled.erased == ("display_name",) and enrolled.data["display_name"] is None
    assert enrolled.data["organisation_id"] == "org-a"  # ids and choices stay readable
    assert all(e.erased for e in history if e.type == "AlignmentChecked")
    assert services.store.verify().intact
    with pytest.raises(ClientForgotten):
        services.plans.load("org-a", forgotten)
    with pytest.raises(ClientForgotten):
        services.plans.execute(forgotten, c.ReassignCoach(coach_id="coach-2"), context())
    with pytest.raises(ClientNotFound):  # another organisation learns nothing
        services.plans.execute(forgotten, c.ReassignCoach(coach_id="coach-2"), context("org-b"))
    assert services.plans.load("org-a", kept).plan.display_name == "OKAPI-3 name"


def test_views_rebuilt_after_forgetting_hold_nothing_of_the_client(world):
    services, clock, _, _ = world
    forgotten = personal_client(services, clock, "ZEBRA-8")
    personal_client(services, clock, "OKAPI-4")  # kept: still in the rebuilt views
    services.erasure.forget("org-a", forgotten, actor="admin-1")
    services.projections.catch_up()

    rebuild(services.engine, services.store, ClientViewProjection())

    assert tables_holding(services.engine, "ZEBRA-8") == []
    assert "client_views" in tables_holding(services.engine, "OKAPI-4")
    assert check(services.engine, services.store).identical


def test_forgetting_again_purges_again_and_reports_the_first_erasure(world):
    services, clock, _, _ = world
    client = personal_client(services, clock, "ZEBRA-9")
    first = services.erasure.forget("org-a", client, actor="admin-1")
    services.projections.catch_up()

    again = services.erasure.forget("org-a", client, actor="admin-2")

    assert not again.key_destroyed and again.forgotten_at == first.forgotten_at
    assert set(again.rows_purged.values()) == {0}  # the follower did not bring the client back
    with pytest.raises(ClientNotFound):
        services.erasure.forget("org-b", client, actor="admin-b")


@pytest.mark.parametrize(
    "engine", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_follower_that_read_the_client_before_the_erasure_cannot_write_them_back(world):
    """The erasure locks every projection's checkpoint: a batch read in the clear commits before the purge."""
    services, clock, _, _ = world
    client = personal_client(services, clock, "ZEBRA-10")
    held = threading.Event()
    release = threading.Event()

    def slow_runner():
        with services.engine.begin() as conn:
            lock_checkpoint(conn, ClientViewProjection.name)
            batch = services.store.read_all(limit=1000)  # read in the clear
            held.set()
            release.wait(10)
            ClientViewProjection().apply(conn, [e for e in batch if not e.forgotten])

    runner = threading.Thread(target=slow_runner)
    runner.start()
    held.wait(10)
    forgetting = threading.Thread(target=services.erasure.forget, args=("org-a", client, "admin-1"))
    forgetting.start()
    forgetting.join(0.5)
    assert forgetting.is_alive()  # waits for the runner's batch
    release.set()
    runner.join()
    forgetting.join(10)

    assert tables_holding(services.engine, "ZEBRA-10") == []


def test_a_client_forgotten_mid_run_leaves_the_run_and_the_sweep(world):
    services, clock, actors, drain = world
    forgotten, kept = (
        personal_client(services, clock, "ZEBRA-11"),
        personal_client(services, clock, "OKAPI-5"),
    )
    clock.now += timedelta(days=100)
    services.projections.catch_up()
    run_id = digest_runs.start_run(
        services.engine, "org-a", "weekly", clock.now
    )  # both clients listed
    actors.check_alignment.send(organisation_id="org-a", client_id=forgotten, slot="2026-04-15")

    services.erasure.forget("org-a", forgotten, actor="admin-1")
    drain()

    with services.engine.connect() as conn:
        status = digest_runs.run_status(conn, run_id)
        subjects = set(conn.execute(sa.select(digests.c.subject)).scalars())
        failed = conn.execute(sa.select(sa.func.count()).select_from(failed_jobs)).scalar_one()
    # the kept client, the coach and the organisation
    assert (status.done, status.failed, status.total) == (3, 0, 3)
    assert status.finished_at is not None and failed == 0
    assert subjects == {f"client:{kept}", "coach:coach-1", "organisation:org-a"}
    assert tables_holding(services.engine, "ZEBRA-11") == []
