"""The template library on a real database: versions kept, applications projected, rebuilt the same.

A revision writes a new version beside the old (nothing overwritten) and
lists the clients whose plans came from an earlier version, from the
`template_applications` view; that view rebuilt from the first event holds
exactly the rows the live runner wrote, and forgetting a client removes theirs.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from settings_support import TEST_MASTER_KEY

from careerplan.bootstrap import bootstrap
from careerplan.seed_template import seed_template_body
from careerplan.settings import Settings
from domain import commands as c
from domain.errors import NothingChanged
from projections.rebuild import rebuild
from projections.tables import template_applications
from projections.template_applications import TemplateApplications
from services.plans import CommandContext
from services.templates.records import TemplateNotFound, TemplateRetired


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def library(engine):
    """(services, organisation id, another organisation's id, context) on a fresh database."""
    services = bootstrap(
        Settings(
            database_url=str(engine.url),
            migrate_on_start=False,
            api_key_secret="t" * 32,
            master_key=TEST_MASTER_KEY,
        ),
        engine=engine,
        clock=Clock(),
    )
    a, _ = services.tenancy.organisations.create("Acme")
    b, _ = services.tenancy.organisations.create("Bright")
    services.coaches.create(a.organisation_id, "Ada", coach_id="coach-1")
    yield (
        services,
        a.organisation_id,
        b.organisation_id,
        CommandContext(a.organisation_id, actor="admin", correlation_id="test"),
    )
    services.store.close()


def enrol(services, context) -> str:
    client = str(uuid.uuid4())
    command = c.EnrolClient(
        client_id=client,
        organisation_id=context.organisation_id,
        coach_id="coach-1",
        display_name="Kim",
        timezone="UTC",
    )
    services.plans.execute(client, command, context)
    return client


def rows(engine) -> list[dict]:
    with engine.connect() as conn:
        found = conn.execute(
            sa.select(template_applications).order_by(template_applications.c.event_id)
        )
        return [dict(row) for row in found.mappings()]


def test_versions_are_kept_and_a_revision_lists_the_clients_of_earlier_versions(library):
    services, organisation, other, context = library
    templates = services.templates
    template = templates.create(organisation, "Senior SE", seed_template_body(), "admin", "v1")
    first, second, untouched = (enrol(services, context) for _ in range(3))
    templates.apply(first, template.template_id, context)
    templates.apply(second, template.template_id, context, goal_keys=())

    body = copy.deepcopy(seed_template_body())
    body["destination"]["horizon_years"] = 6
    revision = templates.revise(organisation, template.template_id, body, "admin", "longer")
    assert revision.version.version == 2 and revision.template.current_version == 2
    assert {a.client_id for a in revision.affected_clients} == {first, second}
    assert all(a.applied_version == 1 for a in revision.affected_clients)
    assert revision.affected_clients[0].diff.destination_fields == ("horizon_years",)
    assert untouched not in {a.client_id for a in revision.affected_clients}

    templates.apply(
        first, template.template_id, context, requirement_keys=("impact",), goal_keys=()
    )
    body["destination"]["horizon_years"] = 7
    third = templates.revise(organisation, template.template_id, body, "admin", "")
    by_client = {a.client_id: a.applied_version for a in third.affected_clients}
    assert by_client == {first: 2, second: 1}  # each client's latest version before this one

    history = templates.get(organisation, template.template_id).versions
    assert [(v.version, v.note) for v in history] == [(1, "v1"), (2, "longer"), (3, "")]
    kept = templates.version(organisation, template.template_id, 1).body
    assert kept["destination"]["horizon_years"] == 5  # as written, never overwritten
    with pytest.raises(NothingChanged):
        templates.revise(organisation, template.template_id, body, "admin", "")
    with pytest.raises(TemplateNotFound):
        templates.get(other, template.template_id)
    templates.retire(organisation, template.template_id)
    with pytest.raises(TemplateRetired):
        templates.apply(untouched, template.template_id, context)


def test_the_applications_view_rebuilt_from_zero_is_what_the_runner_wrote(library):
    services, organisation, _, context = library
    template = services.templates.create(organisation, "Senior SE", seed_template_body(), "admin")
    clients = [enrol(services, context) for _ in range(3)]
    for client in clients:
        services.templates.apply(client, template.template_id, context, goal_keys=())
    services.templates.apply(clients[0], template.template_id, context)
    services.projections.catch_up()
    live = rows(services.engine)
    assert len(live) == 4 and {r["client_id"] for r in live} == set(clients)
    assert all(r["organisation_id"] == organisation for r in live)

    rebuild(services.engine, services.store, TemplateApplications())
    assert rows(services.engine) == live

    report = services.erasure.forget(organisation, clients[0], actor="admin")
    assert report.rows_purged["template_applications"] == 2
    assert clients[0] not in {r["client_id"] for r in rows(services.engine)}
    rebuild(services.engine, services.store, TemplateApplications())
    assert clients[0] not in {r["client_id"] for r in rows(services.engine)}
