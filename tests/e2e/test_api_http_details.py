"""HTTP details: 415 for a body that is not JSON, ETag and 304 on reads, Location on 201 and 202."""

from __future__ import annotations

import re
import uuid

import pytest
from test_api_journey import drive_seed

from api.locations import LOCATIONS
from careerplan.seed_example import seed_id


@pytest.fixture
def client_id(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


def version_of(caller, client: str) -> int:
    return caller.get(f"/v1/clients/{client}").json["version"]


@pytest.mark.parametrize(
    "headers, data",
    [
        ({"Content-Type": "application/x-www-form-urlencoded"}, "display_name=Sam&timezone=UTC"),
        ({"Content-Type": "text/plain"}, '{"display_name": "Sam", "timezone": "UTC"}'),
        ({}, '{"display_name": "Sam", "timezone": "UTC"}'),
    ],
    ids=["form", "text", "no content type"],
)
def test_a_body_that_is_not_json_is_415_and_writes_nothing(admin_a, headers, data):
    answer = admin_a.request(
        "POST", "/v1/clients", headers={**headers, "X-Probe": "1"}, data=data.encode()
    )
    assert answer.status_code == 415 and answer.mimetype == "application/problem+json"
    assert answer.json["code"] == "unsupported_media_type"
    assert admin_a.get("/v1/clients").json["items"] == []


def test_a_command_with_optional_fields_is_not_run_from_a_text_body(admin_a, client_id):
    goal = seed_id(client_id, "goal", "lead-feature")
    before = version_of(admin_a, client_id)
    answer = admin_a.request(
        "POST",
        f"/v1/clients/{client_id}/goals/{goal}/pause",
        headers={"Content-Type": "text/plain"},
        data=b"{}",
    )
    assert answer.status_code == 415
    assert version_of(admin_a, client_id) == before


def test_a_command_sent_with_no_body_at_all_still_runs(admin_a, client_id):
    goal = seed_id(client_id, "goal", "lead-feature")
    base = f"/v1/clients/{client_id}/goals/{goal}"
    assert admin_a.request("POST", f"{base}/pause").status_code == 200
    assert admin_a.request("POST", f"{base}/resume").status_code == 200


VIEWS = ["", "/roadmap", "/momentum", "/as-of?on=2026-11-27"]


@pytest.mark.parametrize("view", [*VIEWS, "caseload"])
def test_every_view_has_an_etag_and_answers_304_while_it_holds(admin_a, client_id, view):
    path = "/v1/caseload" if view == "caseload" else f"/v1/clients/{client_id}{view}"
    first = admin_a.get(path)
    assert first.status_code == 200 and first.headers.get("ETag")
    etag = first.headers["ETag"]
    again = admin_a.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    head = admin_a.request("HEAD", path, headers={"If-None-Match": etag})
    assert head.status_code == 304
    other = admin_a.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.json == first.json


def test_a_view_s_etag_changes_when_the_answer_does(admin_a, client_id):
    roadmap = f"/v1/clients/{client_id}/roadmap"
    etag = admin_a.get(roadmap).headers["ETag"]
    goal = seed_id(client_id, "goal", "lead-feature")
    assert admin_a.post(f"/v1/clients/{client_id}/goals/{goal}/pause").status_code == 200
    changed = admin_a.get(roadmap, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    later = admin_a.get(f"{roadmap}?today=2027-01-04", headers={"If-None-Match": etag})
    assert later.status_code == 200


def test_every_created_or_accepted_answer_says_where_it_is(admin_a, client_id, services):
    base = f"/v1/clients/{client_id}"
    goal = seed_id(client_id, "goal", "system-design")
    requirement = seed_id(client_id, "requirement", "design")

    def created(path: str, body: dict, status: int = 201) -> str:
        answer = admin_a.post(path, json=body)
        assert answer.status_code == status, (path, answer.json)
        return answer.headers["Location"]

    new = str(uuid.uuid4())
    assert (
        created(
            "/v1/clients",
            {"client_id": new, "display_name": "Ada", "timezone": "UTC", "coach_id": "coach-1"},
        )
        == f"/v1/clients/{new}"
    )
    req = created(f"{base}/requirements", {"kind": "skill", "description": "Writes clearly"})
    assert re.fullmatch(rf"{base}/requirements/[0-9a-f-]{{36}}", req)
    goal_body = {
        "statement": "Write one design note a month",
        "category": "skill",
        "measure": {"name": "notes written", "baseline": 0, "target": 6, "unit": "notes"},
        "confidence": 6,
        "serves": [{"requirement_id": requirement, "how_it_leads": "Shows design depth."}],
        "start_on": "2026-11-27",
        "due_on": "2027-05-27",
    }
    assert re.fullmatch(rf"{base}/goals/[0-9a-f-]{{36}}", created(f"{base}/goals", goal_body))
    milestone = created(
        f"{base}/goals/{goal}/milestones", {"title": "Read chapter 2", "estimate_minutes": 45}
    )
    assert milestone.startswith(f"{base}/goals/{goal}/milestones/")
    check_in = created(f"{base}/goals/{goal}/check-ins", {"confidence": 7, "value": 2})
    assert check_in.startswith(f"{base}/goals/{goal}/check-ins/")
    assert created(f"{base}/reviews", {}).startswith(f"{base}/reviews/")
    assert created(f"{base}/alignment-checks", {}) == f"{base}/findings"
    key = admin_a.post("/v1/keys", json={"role": "auditor"})
    assert key.headers["Location"] == f"/v1/keys/{key.json['key_id']}"
    rotated = admin_a.post(f"/v1/keys/{key.json['key_id']}/rotate")
    assert rotated.headers["Location"] == f"/v1/keys/{rotated.json['key_id']}"
    hook = admin_a.post("/v1/webhooks", json={"url": "https://hooks.example.com/a"})
    assert hook.headers["Location"] == f"/v1/webhooks/{hook.json['endpoint_id']}"
    services.clock.advance(weeks=1)
    run = admin_a.post("/v1/digest-runs", json={"kind": "weekly"})
    assert (
        run.status_code == 202
        and run.headers["Location"] == f"/v1/digest-runs/{run.json['run_id']}"
    )
    assert admin_a.get(run.headers["Location"]).status_code == 200
    sweep = admin_a.post("/v1/alignment-sweeps")
    assert (
        sweep.status_code == 202
        and sweep.headers["Location"] == f"/v1/alignment-sweeps/{sweep.json['day']}"
    )
    assert admin_a.get(sweep.headers["Location"]).status_code == 200


def test_every_operation_that_creates_or_accepts_has_a_location(http):
    document = http.get("/openapi.json").json
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule) for rule in LOCATIONS}
    creating = {
        path
        for path, item in document["paths"].items()
        for operation in item.values()
        if isinstance(operation, dict) and {"201", "202"} & set(operation.get("responses", {}))
    }
    assert creating - rules == set()
