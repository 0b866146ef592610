"""Archived clients leave the caseload, digest runs and re-alignment sweeps; their views say so, as a rebuild does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from plan_histories import Clock, context, enrol_seed_client
from polling import eventually
from stub_workers import stub_workers
from tampering import tables_holding

from domain import commands as c
from domain.errors import ClientIsArchived
from projections import queries
from projections.client_projection import ClientViewProjection
from projections.rebuild import check, rebuild
from projections.tables import LIVE
from services.access.client_directory import Attention
from services.alignment import sweeps
from services.alignment.checks import run_alignment_check
from services.digests import runs as digest_runs
from services.digests.tables import digest_run_items

MONDAY_W48 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def views_current(services) -> None:
    """Catch the views up to the head of the feed (retrying while another database's transaction holds it)."""
    head = services.store.head()

    def reached() -> bool:
        services.projections.catch_up()
        return services.projections.reached(ClientViewProjection.name) >= head

    assert eventually(reached)


@pytest.fixture
def stub(engine):
    clock = Clock(MONDAY_W48 - timedelta(days=30))
    with stub_workers(engine, clock) as (services, broker, actors, drain):
        yield services, clock, drain


@pytest.fixture
def clients(stub):
    """Three clients of org-a: kept active (coach-1), archived (coach-2, their only client), archived then back."""
    services, clock, _ = stub
    kept = enrol_seed_client(services.plans, clock)
    archived = enrol_seed_client(services.plans, clock)
    services.plans.execute(archived, c.ReassignCoach(coach_id="coach-2"), context())
    back = enrol_seed_client(services.plans, clock)
    clock.now += timedelta(days=1)
    for client in (archived, back):
        services.plans.execute(client, c.ArchiveClient(reason="on leave"), context())
    clock.now += timedelta(days=1)
    services.plans.execute(back, c.ReactivateClient(), context())
    views_current(services)
    return {"kept": kept, "archived": archived, "back": back}


def statuses(services) -> dict[str, tuple[str, str]]:
    views, caseload = LIVE.client_views, LIVE.caseload_rows
    with services.engine.connect() as conn:
        rows = conn.execute(
            sa.select(views.c.client_id, views.c.status, caseload.c.status).join(
                caseload, caseload.c.client_id == views.c.client_id
            )
        ).all()
    return {client: (view, row) for client, view, row in rows}


def test_the_views_record_each_clients_status_and_a_rebuild_gives_the_same(stub, clients):
    services, _, _ = stub
    assert statuses(services) == {
        clients["kept"]: ("active", "active"),
        clients["archived"]: ("archived", "archived"),
        clients["back"]: ("active", "active"),
    }
    with services.engine.connect() as conn:
        view = queries.client_view(conn, "org-a", clients["archived"])
    assert view["client"]["status"] == "archived" and view["client"]["archived_at"]
    assert check(services.engine, services.store).identical
    rebuild(services.engine, services.store, ClientViewProjection())
    assert statuses(services)[clients["archived"]] == ("archived", "archived")


def test_archived_clients_leave_the_caseload_but_not_the_directory(stub, clients):
    services, clock, _ = stub
    with services.engine.connect() as conn:
        caseload = queries.caseload_of(conn, "org-a", clock.now.date())
    assert {entry["client_id"] for entry in caseload} == {clients["kept"], clients["back"]}
    directory = services.tenancy.directory
    listed = directory.page("org-a", limit=10).items
    assert {(item.client_id, item.status) for item in listed} == {
        (clients["kept"], "active"),
        (clients["archived"], "archived"),
        (clients["back"], "active"),
    }
    assert [i.client_id for i in directory.page("org-a", status="archived").items] == [
        clients["archived"]
    ]
    assert [i.client_id for i in directory.page("org-a", coach_id="coach-2").items] == [
        clients["archived"]
    ]


def test_needs_attention_keeps_the_active_clients_the_caseload_flags(stub, clients):
    services, clock, _ = stub
    today = (clock.now + timedelta(days=200)).date()  # the seed's first goal is overdue
    directory = services.tenancy.directory
    flagged = directory.page("org-a", attention=Attention(True, today)).items
    assert {item.client_id for item in flagged} == {clients["kept"], clients["back"]}
    others = directory.page("org-a", attention=Attention(False, today)).items
    assert [item.client_id for item in others] == [clients["archived"]]
    first = directory.page("org-a", attention=Attention(True, today), limit=1)
    assert first.next_after == first.items[0].client_id
    rest = directory.page("org-a", attention=Attention(True, today), after=first.next_after)
    assert len(rest.items) == 1 and rest.next_after is None


def test_a_digest_run_covers_active_clients_and_their_coaches_only(stub, clients):
    services, clock, drain = stub
    clock.now = MONDAY_W48
    run_id = digest_runs.start_run(services.engine, "org-a", "weekly", MONDAY_W48)
    with services.engine.connect() as conn:
        subjects = set(
            conn.execute(
                sa.select(digest_run_items.c.subject).where(digest_run_items.c.run_id == run_id)
            ).scalars()
        )
    assert subjects == {
        f"client:{clients['kept']}",
        f"client:{clients['back']}",
        "coach:coach-1",
        "organisation:org-a",
    }
    drain()
    status = digest_runs.status_of(services.engine, run_id, "org-a")
    assert (status.total, status.done, status.failed) == (4, 4, 0)


def test_sweeps_skip_archived_clients_and_a_queued_check_of_one_records_nothing(stub, clients):
    services, clock, _ = stub
    with services.engine.connect() as conn:
        whom = {client for _, client in sweeps.clients(conn, "org-a")}
    assert whom == {clients["kept"], clients["back"]}
    before = services.store.read_stream(f"client-{clients['archived']}")
    assert not run_alignment_check(
        services.plans, services.engine, "org-a", clients["archived"], "2026-11-23"
    )
    assert services.store.read_stream(f"client-{clients['archived']}") == before


def test_a_new_name_and_an_archiving_reason_are_sealed_and_erased_with_the_client(stub, clients):
    services, _, _ = stub
    client = clients["kept"]
    services.plans.execute(client, c.ChangeClientDetails(display_name="GNU-5 name"), context())
    services.plans.execute(client, c.ArchiveClient(reason="GNU-5 reason"), context())
    views_current(services)
    assert "events" not in tables_holding(services.engine, "GNU-5")
    assert services.plans.load("org-a", client).plan.display_name == "GNU-5 name"

    services.erasure.forget("org-a", client, actor="admin-1")

    assert tables_holding(services.engine, "GNU-5") == []
    erased = {e.type: e.erased for e in services.store.read_stream(f"client-{client}")}
    assert erased["ClientDetailsChanged"] == ("display_name",)
    assert erased["ClientArchived"] == ("reason",)


def test_an_archived_client_gets_no_check_of_a_past_day_either(stub, clients):
    services, clock, _ = stub
    client = clients["archived"]
    before = services.store.read_stream(f"client-{client}")
    with pytest.raises(ClientIsArchived):
        services.plans.execute(
            client,
            c.RecordAlignmentCheck(check_id="past-day"),
            context(),
            on=(clock.now - timedelta(days=1)).date(),
        )
    assert services.store.read_stream(f"client-{client}") == before
