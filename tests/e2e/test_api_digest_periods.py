"""Over HTTP: the policy's time zone, and a digest run for a period that has not ended."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from conftest import NOW

from careerplan.seed_example import seed_example_commands
from services.digests.generation import generate_client_digests
from services.digests.tables import digest_runs
from services.plans import CommandContext
from services.policies import organisation_policies


def count(services, table) -> int:
    with services.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_the_policy_keeps_a_time_zone_and_refuses_an_unknown_one_writing_nothing(admin_a, services):
    assert admin_a.get("/v1/policy").json["timezone"] == "UTC"

    refused = admin_a.put("/v1/policy", json={"timezone": "Mars/Olympus_Mons"})
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "Mars/Olympus_Mons" in refused.json["detail"]
    assert count(services, organisation_policies) == 0

    updated = admin_a.put(
        "/v1/policy", json={"timezone": "Europe/Berlin", "digest_kinds": ["weekly"]}
    )
    assert updated.status_code == 200 and updated.json["timezone"] == "Europe/Berlin"
    assert admin_a.get("/v1/policy").json["timezone"] == "Europe/Berlin"


def test_a_run_for_a_week_not_ended_is_a_409_unless_provisional(admin_a, services):
    client, org = str(uuid.uuid4()), admin_a.organisation_id
    for command in seed_example_commands(client, org, "coach-1", NOW.date())[
        :2
    ]:  # enrolled, with a destination
        services.plans.execute(client, command, CommandContext(org, "test", "digest-periods"))
    services.projections.catch_up()
    admin_a.put("/v1/policy", json={"timezone": "America/New_York"})
    refused = admin_a.post(
        "/v1/digest-runs", json={"kind": "weekly", "today": "2026-11-30"}
    )  # NOW: 27 Nov

    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.json["code"] == "period_not_ended" and refused.json["type"].endswith(
        "/period_not_ended"
    )
    assert "from 2026-11-30 (America/New_York)" in refused.json["detail"]
    assert count(services, digest_runs) == 0

    provisional = admin_a.post(
        "/v1/digest-runs", json={"kind": "weekly", "today": "2026-11-30", "provisional": True}
    )
    assert provisional.status_code == 202 and provisional.json["provisional"] is True
    assert provisional.json["period_key"] == "2026-W48"
    generate_client_digests(services.engine, services.store, provisional.json["run_id"], [client])
    (summary,) = admin_a.get("/v1/digests").json["items"]
    assert summary["provisional"] is True and summary["period_key"] == "2026-W48"
    last_week = admin_a.post("/v1/digest-runs", json={"kind": "weekly"})
    assert last_week.status_code == 202 and last_week.json["period_key"] == "2026-W47"
    assert last_week.json["provisional"] is False
