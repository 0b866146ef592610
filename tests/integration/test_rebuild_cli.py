"""`careerplan projections rebuild --workers N` on a real database: the views it rebuilds equal the live ones."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from plan_histories import enrol_seed_client
from polling import eventually
from test_store_cli import cli, cli_services  # noqa: F401 - the CLI's settings on the test's database

from projections.tables import LIVE


def views(engine) -> dict:
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(r) for r in conn.execute(sa.select(table)).all())
            for table in LIVE.all
        }


@pytest.mark.parametrize("workers", ["1", "2"])
def test_rebuild_with_workers_gives_the_live_views_back(cli_services, workers):  # noqa: F811
    services = cli_services
    for _ in range(3):
        enrol_seed_client(services.plans, services.clock)
    with services.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
    # The feed shows only events below the server's oldest open transaction: wait for them all.
    assert eventually(lambda: services.store.count_after() == stored)
    services.projections.catch_up()
    live = views(services.engine)
    with services.engine.begin() as conn:
        conn.execute(LIVE.caseload_rows.update().values(display_name="Tampered"))

    rebuilt = cli("projections", "rebuild", "client_views", "--workers", workers)

    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"client_views: rebuilt from {stored} events" in rebuilt.output
    assert views(services.engine) == live and len(live["client_views"]) == 3


def test_rebuild_refuses_no_workers(cli_services):  # noqa: F811
    refused = cli("projections", "rebuild", "--workers", "0")
    assert refused.exit_code == 2 and "--workers" in refused.output
