"""Hostile input is refused before parsing with a 4xx problem, never a 500, and writes nothing."""

from __future__ import annotations

import logging
import uuid

import pytest
import sqlalchemy as sa
from test_api_journey import drive_seed
from test_api_problems import assert_problem, versions

from services import policies
from services.webhooks.tables import webhook_endpoints


@pytest.fixture
def client_id(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


def test_json_nested_100000_deep_is_422_and_writes_nothing(admin_a, services, client_id):
    before = versions(services, client_id)
    deep = '{"statement": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = admin_a.request(
        "POST", f"/v1/clients/{client_id}/goals", data=deep, content_type="application/json"
    )
    assert_problem(response, 422, "json_too_deep")
    assert versions(services, client_id) == before


def test_json_nested_just_within_the_limit_is_read_as_usual(admin_a, client_id):
    within = '{"statement": ' + "[" * 60 + "]" * 60 + "}"
    response = admin_a.request(
        "POST", f"/v1/clients/{client_id}/goals", data=within, content_type="application/json"
    )
    assert_problem(response, 422, "validation_failed")


def test_a_5000_digit_integer_is_422_and_writes_nothing(admin_a, services, client_id):
    before = versions(services, client_id)
    body = '{"alignment": {"stall_days": ' + "9" * 5000 + "}}"
    assert_problem(
        admin_a.request("PUT", "/v1/policy", data=body, content_type="application/json"),
        422,
        "number_too_long",
    )
    digits_in_a_string = '{"alignment": {"stall_days": "' + "9" * 5000 + '"}}'
    assert_problem(
        admin_a.request(
            "PUT", "/v1/policy", data=digits_in_a_string, content_type="application/json"
        ),
        422,
        "validation_failed",
    )
    assert versions(services, client_id) == before


@pytest.mark.parametrize(
    "path",
    [
        "/v1/digests?period_key=a%00b",
        "/v1/digests?cursor=a%00b",
        "/v1/caseload?coach_id=coach%00",
        "/v1/digests?kind=weekly%0A",
    ],
)
def test_a_control_character_in_a_query_parameter_is_400(admin_a, path):
    assert_problem(admin_a.get(path), 400, "control_character")


def test_a_nul_in_the_history_type_filter_is_400(admin_a, client_id):
    assert_problem(
        admin_a.get(f"/v1/clients/{client_id}/history?type=GoalSet%00"), 400, "control_character"
    )


def test_a_nul_in_the_path_or_a_header_is_400(admin_a, client_id):
    assert_problem(admin_a.get(f"/v1/clients/{client_id}%00/history"), 400, "control_character")
    assert_problem(admin_a.get("/v1/me", headers={"X-Trace": "a\x00b"}), 400, "control_character")


def test_a_nul_in_a_webhook_url_is_422_and_neither_stores_nor_logs_the_secret(
    admin_a, services, caplog
):
    caplog.set_level(logging.DEBUG)
    response = admin_a.post("/v1/webhooks", json={"url": "https://hooks.example.com/a\x00b"})
    assert response.status_code == 422, response.json
    with services.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(webhook_endpoints)).scalar() == 0
    assert "whsec_" not in caplog.text


def test_a_put_with_no_body_is_422_and_leaves_the_policy_as_it_was(admin_a, services):
    set_ = admin_a.put(
        "/v1/policy", json={"alignment": {"stall_days": 10}, "digest_kinds": ["weekly"]}
    )
    assert set_.status_code == 200, set_.json
    assert_problem(admin_a.request("PUT", "/v1/policy"), 422, "body_required")
    assert_problem(
        admin_a.request("PUT", "/v1/policy", data=" ", content_type="application/json"),
        422,
        "body_required",
    )
    with services.engine.connect() as conn:
        policy = policies.policy_of(conn, admin_a.organisation_id)
    assert (policy.alignment.stall_days, policy.digest_kinds) == (10, ("weekly",))
