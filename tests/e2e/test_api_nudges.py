"""Nudges end to end: an admin opts in, the daily sweep finds a quiet client, a signed webhook says so.

The sweep's work is run as a worker runs it (`run_nudge` for the day, then
the projection that queues notices, then the delivery), to a local HTTPS
receiver; the notice is verified with the standardwebhooks package. A coach
reads the client's nudges over the API, newest first, a page at a time.
"""

from __future__ import annotations

import uuid

from standardwebhooks import Webhook
from test_api_journey import drive_seed
from test_api_problems import assert_problem
from test_webhook_management import allow
from tls_receiver import trusted_receiver

from services import webhooks
from services.nudges import sweeps

POLICY = {"nudges": {"enabled": True, "quiet_days": 7, "min_days_between": 7}}


def test_the_policy_keeps_nudges_off_until_set_and_refuses_bad_settings(admin_a):
    assert admin_a.get("/v1/policy").json["nudges"] == {
        "enabled": False,
        "quiet_days": 7,
        "min_days_between": 7,
    }
    updated = admin_a.put("/v1/policy", json=POLICY)
    assert updated.status_code == 200 and updated.json["nudges"] == POLICY["nudges"]
    for bad in ({"quiet_days": 0}, {"min_days_between": 91}, {"often": True}):
        assert_problem(admin_a.put("/v1/policy", json={"nudges": bad}), 422, "validation_failed")
    assert admin_a.get("/v1/policy").json["nudges"] == POLICY["nudges"]


def sweep_day(services, admin, client: str) -> list[str]:
    """Run the day's nudge sweep for the client as the workers do; the notices' delivery ids queued."""
    day = services.clock().date().isoformat()
    sweeps.run_nudge(services.plans, services.engine, admin.organisation_id, client, day)
    services.projections.catch_up()
    return [
        d["delivery_id"]
        for d in admin.get(f"/v1/webhooks/{admin.endpoint_id}/deliveries").json["items"]
        if d["event_type"] == "client.nudge_due"
    ]


def test_a_nudge_is_announced_once_per_due_day_by_a_signed_webhook(
    admin_a, admin_b, services, clock, tmp_path, monkeypatch
):
    assert admin_a.put("/v1/policy", json=POLICY).status_code == 200
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)

    def answer(handler):
        handler.send_response(204)
        handler.end_headers()

    with trusted_receiver(tmp_path, monkeypatch, answer) as (port, received):
        allow(services, f"127.0.0.1:{port}")
        endpoint = admin_a.post(
            "/v1/webhooks",
            json={"url": f"https://127.0.0.1:{port}/nudges", "events": ["client.nudge_due"]},
        ).json
        admin_a.endpoint_id = endpoint["endpoint_id"]
        clock.advance(days=6)
        assert sweep_day(services, admin_a, client) == []
        clock.advance(days=1)
        (delivery,) = sweep_day(services, admin_a, client)
        assert sweep_day(services, admin_a, client) == [delivery], "the same day: no second nudge"
        webhooks.deliver(services.engine, delivery)  # what a worker does with it
        for _ in range(6):
            clock.advance(days=1)
            assert sweep_day(services, admin_a, client) == [delivery]
        clock.advance(days=1)
        later, first = sweep_day(services, admin_a, client)
        assert first == delivery
        webhooks.deliver(services.engine, later)

    assert len(received) == 2
    notices = [Webhook(endpoint["secret"]).verify(body, headers) for headers, body in received]
    assert [n["type"] for n in notices] == ["client.nudge_due"] * 2
    data = notices[0]["data"]
    assert data["client_id"] == client and data["quiet_days"] == 7
    assert data["goal_id"] and data["goal_statement"]
    assert (data["milestone_id"] is None) == (data["milestone_title"] is None)

    listed = admin_a.get(f"/v1/clients/{client}/nudges?limit=1")
    assert listed.status_code == 200
    rest = admin_a.get(f"/v1/clients/{client}/nudges?limit=1&cursor={listed.json['next_cursor']}")
    nudges = listed.json["items"] + rest.json["items"]
    assert rest.json["next_cursor"] is None
    assert [n["day"] for n in nudges] == [
        notices[1]["data"]["day"],
        data["day"],
    ], "newest first"
    assert nudges[1]["nudge_id"] == data["nudge_id"] and nudges[1]["goal_id"] == data["goal_id"]
    assert nudges[1]["occurred_at"].endswith("+00:00")

    assert_problem(admin_b.get(f"/v1/clients/{client}/nudges"), 404, "client_not_found")
    other_coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    assert other_coach.get(f"/v1/clients/{client}/nudges").status_code == 404
    own_coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    assert len(own_coach.get(f"/v1/clients/{client}/nudges").json["items"]) == 2
