"""`careerplan projections rebuild --workers N` on a real database: the views it rebuilds equal the live ones.

With no names it rebuilds every rebuildable projection (client views, insights,
template applications) from one pass over the events.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from plan_histories import context, enrol_seed_client
from polling import eventually
from test_store_cli import cli, cli_services  # noqa: F401 - the CLI's settings on the test's database

from careerplan.seed_template import seed_template_body
from domain import commands as c
from projections.insight_tables import LIVE_INSIGHTS
from projections.tables import LIVE, template_applications

TABLES = (*LIVE.all, *LIVE_INSIGHTS.all, template_applications)


def views(engine) -> dict:
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(r) for r in conn.execute(sa.select(table)).all())
            for table in TABLES
        }


def applied_template(services) -> str:
    """A new client whose plan came from a template (a `TemplateApplied` event)."""
    client = str(uuid.uuid4())
    enrolment = c.EnrolClient(
        client_id=client,
        organisation_id="org-a",
        coach_id="coach-1",
        display_name="Kim",
        timezone="UTC",
    )
    services.plans.execute(client, enrolment, context())
    template = services.templates.create("org-a", "Senior SE", seed_template_body(), "admin")
    services.templates.apply(client, template.template_id, context())
    return client


def caught_up(services) -> int:
    """Every projection brought up to every stored event; how many there are."""
    with services.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
    # The feed shows only events below the server's oldest open transaction: wait for them all.
    assert eventually(lambda: services.store.count_after() == stored)
    services.projections.catch_up()
    return stored


@pytest.mark.parametrize("workers", ["1", "2"])
def test_rebuild_with_workers_gives_every_live_view_back(cli_services, workers):  # noqa: F811
    services = cli_services
    for _ in range(3):
        enrol_seed_client(services.plans, services.clock)
    applied_template(services)
    stored = caught_up(services)
    live = views(services.engine)
    with services.engine.begin() as conn:
        conn.execute(LIVE.caseload_rows.update().values(display_name="Tampered"))
        conn.execute(LIVE_INSIGHTS.goals.update().values(status="dropped"))
        conn.execute(template_applications.delete())

    rebuilt = cli("projections", "rebuild", "--workers", workers)

    assert rebuilt.exit_code == 0, rebuilt.output
    for name in ("client_views", "template_applications", "insights"):
        assert f"{name}: rebuilt from {stored} events" in rebuilt.output
    assert views(services.engine) == live
    assert len(live["client_views"]) == 4 and len(live["template_applications"]) == 1
    assert services.projections.lag()["insights"] == 0


def test_rebuild_of_one_named_view_once_leaves_the_others(cli_services):  # noqa: F811
    services = cli_services
    enrol_seed_client(services.plans, services.clock)
    caught_up(services)
    with services.engine.begin() as conn:
        conn.execute(LIVE_INSIGHTS.goals.update().values(status="dropped"))

    rebuilt = cli("projections", "rebuild", "client_views", "client_views", "--workers", "2")

    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.output.count("client_views: rebuilt") == 1 and "insights" not in rebuilt.output
    with services.engine.connect() as conn:
        statuses = conn.execute(sa.select(LIVE_INSIGHTS.goals.c.status).distinct()).scalars()
        assert list(statuses) == ["dropped"]


def test_rebuild_refuses_no_workers(cli_services):  # noqa: F811
    refused = cli("projections", "rebuild", "--workers", "0")
    assert refused.exit_code == 2 and "--workers" in refused.output
