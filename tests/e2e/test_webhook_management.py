"""Webhooks over HTTP as an integrator manages them: list, change, disable, rotate, ping, delete, log."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook
from test_api_problems import assert_problem
from tls_receiver import trusted_receiver

from services import webhooks

URL = "https://hooks.example.com/a"


@pytest.fixture
def endpoint(admin_a) -> dict:
    created = admin_a.post("/v1/webhooks", json={"url": URL, "events": ["goal.achieved"]})
    assert created.status_code == 201, created.json
    return created.json


def allow(services, host: str) -> None:
    config = webhooks.config_of(services.engine)
    webhooks.configure(
        services.engine,
        dataclasses.replace(config, allowed_hosts={*config.allowed_hosts, host}),
    )


def test_registering_answers_201_with_location_the_secret_once_and_the_events_chosen(
    admin_a, endpoint
):
    assert endpoint["secret"].startswith("whsec_") and endpoint["events"] == ["goal.achieved"]
    assert endpoint["enabled"] is True and endpoint["created_at"].endswith("+00:00")
    location = f"/v1/webhooks/{endpoint['endpoint_id']}"
    read = admin_a.get(location).json
    assert "secret" not in read and read["url"] == URL
    every = admin_a.post("/v1/webhooks", json={"url": URL}).json["events"]
    assert {"digest.ready", "goal.set", "check_in.recorded", "client.archived"} <= set(every)


def test_registering_gives_the_location(admin_a):
    response = admin_a.post("/v1/webhooks", json={"url": URL})
    assert response.headers["Location"].endswith(f"/v1/webhooks/{response.json['endpoint_id']}")


def test_the_list_is_paginated_by_cursor(admin_a):
    ids = {admin_a.post("/v1/webhooks", json={"url": URL}).json["endpoint_id"] for _ in range(3)}
    first = admin_a.get("/v1/webhooks?limit=2").json
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = admin_a.get(f"/v1/webhooks?limit=2&cursor={first['next_cursor']}").json
    assert second["next_cursor"] is None
    assert {e["endpoint_id"] for e in first["items"] + second["items"]} == ids
    assert_problem(admin_a.get("/v1/webhooks?cursor=bm9wZQ"), 422, "validation_failed")


def test_patch_disables_enables_and_changes_events_and_a_bad_url_changes_nothing(admin_a, endpoint):
    path = f"/v1/webhooks/{endpoint['endpoint_id']}"
    disabled = admin_a.patch(path, json={"enabled": False}).json
    assert disabled["enabled"] is False and disabled["disabled_at"]
    assert_problem(admin_a.post(f"{path}/test"), 409, "webhook_disabled")
    assert admin_a.patch(path, json={}).json == disabled  # an empty patch changes nothing
    enabled = admin_a.patch(path, json={"enabled": True, "events": ["goal.set", "goal.dropped"]})
    assert enabled.json["enabled"] is True and enabled.json["disabled_at"] is None
    assert enabled.json["events"] == ["goal.set", "goal.dropped"]
    refused = admin_a.patch(path, json={"url": "https://10.0.0.8/", "enabled": False})
    assert_problem(refused, 422, "webhook_target_refused")
    assert admin_a.get(path).json == enabled.json
    assert_problem(admin_a.patch(path, json={"events": ["goal.renamed"]}), 422, "validation_failed")


def test_a_ping_is_queued_as_a_delivery_with_its_location_and_listed_newest_first(
    admin_a, endpoint
):
    path = f"/v1/webhooks/{endpoint['endpoint_id']}"
    pings = [admin_a.post(f"{path}/test") for _ in range(3)]
    assert all(p.status_code == 202 for p in pings)
    first = pings[0].json
    assert first["event_type"] == "webhook.test" and first["status"] == "pending"
    detail = admin_a.get(pings[0].headers["Location"]).json
    assert detail["delivery_id"] == first["delivery_id"] and detail["attempt_log"] == []
    assert detail["payload"]["endpoint_id"] == endpoint["endpoint_id"]

    page = admin_a.get(f"{path}/deliveries?limit=2").json
    rest = admin_a.get(f"{path}/deliveries?limit=2&cursor={page['next_cursor']}").json
    listed = [d["delivery_id"] for d in page["items"] + rest["items"]]
    assert (
        listed == [p.json["delivery_id"] for p in reversed(pings)] and rest["next_cursor"] is None
    )


def test_rotating_returns_a_new_secret_once_and_the_grace_period_of_the_old(admin_a, endpoint):
    path = f"/v1/webhooks/{endpoint['endpoint_id']}"
    rotated = admin_a.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200
    assert (
        rotated.json["secret"].startswith("whsec_") and rotated.json["secret"] != endpoint["secret"]
    )
    until = datetime.fromisoformat(rotated.json["previous_secret_expires_at"])
    assert timedelta(hours=23) < until - datetime.now(timezone.utc) <= timedelta(hours=24)
    assert (
        admin_a.get(path).json["previous_secret_expires_at"]
        == rotated.json["previous_secret_expires_at"]
    )


def test_deleting_cancels_pending_deliveries_and_the_endpoint_is_gone(admin_a, endpoint):
    path = f"/v1/webhooks/{endpoint['endpoint_id']}"
    admin_a.post(f"{path}/test")
    assert admin_a.delete(path).status_code == 204
    for response in (admin_a.get(path), admin_a.get(f"{path}/deliveries"), admin_a.delete(path)):
        assert_problem(response, 404, "not_found")
    assert endpoint["endpoint_id"] not in {
        e["endpoint_id"] for e in admin_a.get("/v1/webhooks").json["items"]
    }


def every_route(endpoint_id: str, delivery_id: str) -> list[tuple[str, str]]:
    path = f"/v1/webhooks/{endpoint_id}"
    return [
        ("GET", path),
        ("PATCH", path),
        ("DELETE", path),
        ("POST", f"{path}/rotate-secret"),
        ("POST", f"{path}/test"),
        ("GET", f"{path}/deliveries"),
        ("GET", f"{path}/deliveries/{delivery_id}"),
    ]


def test_another_organisations_admin_gets_404_and_a_non_admin_403_on_every_route(
    admin_a, admin_b, services, endpoint
):
    path = f"/v1/webhooks/{endpoint['endpoint_id']}"
    delivery_id = admin_a.post(f"{path}/test").json["delivery_id"]
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    for method, route in every_route(endpoint["endpoint_id"], delivery_id):
        assert_problem(admin_b.request(method, route, json={}), 404, "not_found")
        assert_problem(coach.request(method, route, json={}), 403, "forbidden_for_role")
        assert auditor.request(method, route, json={}).status_code == 403
    for method, route in (("GET", "/v1/webhooks"), ("POST", "/v1/webhooks")):
        assert_problem(coach.request(method, route, json={"url": URL}), 403, "forbidden_for_role")
    assert admin_b.get("/v1/webhooks").json["items"] == []
    assert admin_a.get(path).json["enabled"] is True  # nothing of A's changed
    other = f"/v1/webhooks/{endpoint['endpoint_id']}/deliveries/{endpoint['endpoint_id']}"
    assert_problem(admin_a.get(other), 404, "not_found")


def test_a_real_receiver_gets_the_ping_signed_with_both_secrets_after_a_rotation(
    admin_a, services, tmp_path, monkeypatch
):
    def answer(handler):
        handler.send_response(204)
        handler.end_headers()

    with trusted_receiver(tmp_path, monkeypatch, answer) as (port, received):
        allow(services, f"127.0.0.1:{port}")
        created = admin_a.post("/v1/webhooks", json={"url": f"https://127.0.0.1:{port}/hooks"}).json
        path = f"/v1/webhooks/{created['endpoint_id']}"
        new_secret = admin_a.post(f"{path}/rotate-secret").json["secret"]
        ping = admin_a.post(f"{path}/test")
        webhooks.deliver(services.engine, ping.json["delivery_id"])  # what a worker does with it

    ((headers, body),) = received
    for secret in (created["secret"], new_secret):
        notice = Webhook(secret).verify(body, headers)
        assert notice["type"] == "webhook.test"
        assert notice["data"]["endpoint_id"] == created["endpoint_id"]
    assert headers["webhook-id"] == ping.json["delivery_id"]
    delivered = admin_a.get(ping.headers["Location"]).json
    assert delivered["status"] == "delivered" and delivered["delivered_at"]
    assert [(a["attempt"], a["status_code"], a["error"]) for a in delivered["attempt_log"]] == [
        (1, 204, None)
    ]
