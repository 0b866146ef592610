"""The seed's example client over HTTP: enrolment, destination, requirements, goals, progress,
then a quarterly review deciding every goal, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from conftest import NOW
from seed_over_http import seed_requests

from careerplan.seed_example import GOAL_KEYS, seed_id


def drive_seed(caller, client_id: str, coach_id: str = "coach-1") -> None:
    for method, path, body in seed_requests(client_id, coach_id, NOW.date()):
        response = caller.request(method, path, json=body)
        assert response.status_code in (200, 201), (path, response.json)


def test_seed_example_from_enrolment_through_a_quarterly_review(admin_a, services):
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    base = f"/v1/clients/{client}"
    goal = {key: seed_id(client, "goal", key) for key in GOAL_KEYS}

    plan = admin_a.get(base)
    assert plan.status_code == 200 and plan.headers["ETag"] == f'"{plan.json["version"]}"'
    assert plan.json["requirements_status"] == {"state": "complete", "active": 6, "missing": 0}
    assert [g["goal_id"] for g in plan.json["goals"]] == list(goal.values())
    first = plan.json["goals"][0]
    assert (
        first["current_value"] == 1
        and [m["status"] for m in first["milestones"]].count("completed") == 1
    )

    started = admin_a.post(f"{base}/reviews", headers={"If-Match": plan.headers["ETag"]})
    assert started.status_code == 201, started.json
    review = f"{base}/reviews/{started.json['review_id']}"
    replacement = {
        "statement": "Give one internal talk on the checkout latency work",
        "category": "credibility",
        "measure": {"name": "talk given"},
        "confidence": 6,
        "serves": [
            {
                "requirement_id": seed_id(client, "requirement", "portfolio"),
                "how_it_leads": "Makes the impact visible beyond the team.",
            }
        ],
        "start_on": "2028-11-27",
        "due_on": "2029-05-27",
        "follows": [goal["mentor"]],
    }
    decisions = [
        {
            "goal_id": goal["system-design"],
            "decision": "tweak",
            "note": "Course runs longer than planned",
            "refinement": {"due_on": "2027-03-27"},
        },
        {"goal_id": goal["lead-feature"], "decision": "keep"},
        {"goal_id": goal["mentor"], "decision": "keep", "note": "Still a year out"},
        {
            "goal_id": goal["initiative"],
            "decision": "replace",
            "note": "Start smaller",
            "replacement": replacement,
        },
    ]
    for decision in decisions:
        decided = admin_a.post(f"{review}/decisions", json=decision)
        assert decided.status_code == 200, decided.json
    replacement_id = decided.json["replacement_goal_id"]
    completed = admin_a.post(f"{review}/complete", json={"summary": "Good first quarter"})
    assert completed.status_code == 200, completed.json

    after = admin_a.get(base).json
    assert after["open_review_id"] is None and after["last_review_completed_at"] is not None
    assert [d["decision"] for d in after["reviews"][0]["decisions"]] == [
        "tweak",
        "keep",
        "keep",
        "replace",
    ]
    goals = {g["goal_id"]: g for g in after["goals"]}
    assert goals[goal["system-design"]]["terms"]["due_on"] == "2027-03-27"
    assert goals[goal["initiative"]]["status"] == "replaced"
    assert (
        goals[replacement_id]["replaces"] == goal["initiative"]
        and goals[replacement_id]["status"] == "active"
    )
    assert after["version"] == completed.json["version"]
    read_every_view(admin_a, client, goal, replacement_id, after["version"])


def read_every_view(caller, client: str, goal: dict, replacement_id: str, version: int) -> None:
    """Roadmap, momentum, caseload, history, the plan as of enrolment, the export: after the review."""
    base = f"/v1/clients/{client}"
    roadmap = caller.get(f"{base}/roadmap", query_string={"today": "2026-11-27"}).json
    placed = {
        frame["name"]: [g["goal_id"] for g in frame["goals"]] for frame in roadmap["timeframes"]
    }
    assert placed["next 3 months"] == []  # the review moved system-design's due date 4 months out
    assert placed["3–12 months"] == [goal["system-design"], goal["lead-feature"]]
    assert placed["year 2"] == [goal["mentor"]]
    assert replacement_id in placed["years 3–4"] and goal["initiative"] not in placed["years 3–4"]

    momentum = caller.get(f"{base}/momentum", query_string={"today": "2026-11-27"}).json
    assert momentum["streak"]["current"] >= 1 and len(momentum["weeks"]) == 12

    caseload = caller.get("/v1/caseload", query_string={"today": "2026-11-27"}).json
    assert client in [entry["client_id"] for entry in caseload["items"]]

    history = caller.get(f"{base}/history", query_string={"type": "GoalRefined"}).json
    (refined,) = history["items"]
    assert "2027-03-27" in refined["description"] and refined["metadata"]["organisation_id"]

    first = caller.get(f"{base}/history", query_string={"limit": 1, "order": "oldest"}).json
    first = first["items"][0]
    as_of = caller.get(f"{base}/as-of", query_string={"known_at": first["recorded_at"]})
    assert as_of.status_code == 200 and as_of.json["version"] == 1 and as_of.json["goals"] == []
    deprecated = caller.get(f"{base}/as-of", query_string={"at": first["recorded_at"]})
    assert deprecated.json == as_of.json

    export = caller.get(f"{base}/export")
    lines = export.get_data(as_text=True).splitlines()
    assert export.mimetype == "application/x-ndjson" and len(lines) == version


def test_goal_life_cycle_and_milestones_over_http(admin_a):
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    goal = f"/v1/clients/{client}/goals/{seed_id(client, 'goal', 'system-design')}"
    milestone = f"{goal}/milestones/{seed_id(client, 'milestone', 'pick-course')}"

    steps = [
        ("POST", f"{milestone}/reopen", None),
        ("POST", f"{milestone}/complete", None),
        ("DELETE", f"{goal}/milestones/{seed_id(client, 'milestone', 'sketch')}", None),
        ("PATCH", goal, {"confidence": 8}),
        ("POST", f"{goal}/pause", {"reason": "Busy release month"}),
        ("POST", f"{goal}/resume", None),
        ("POST", f"{goal}/check-ins", {"value": 3, "confidence": 8, "note": "Modules 2 and 3"}),
        ("POST", f"{goal}/achieve", {"note": "Course done"}),
        ("POST", f"{goal}/reopen", {"reason": "Apply it in the side project too"}),
        ("POST", f"{goal}/drop", {"reason": "Replaced by work project"}),
    ]
    for method, path, body in steps:
        response = admin_a.request(method, path, json=body)
        assert response.status_code in (200, 201), (method, path, response.json)

    plan = admin_a.get(f"/v1/clients/{client}").json
    system_design = plan["goals"][0]
    assert system_design["status"] == "dropped" and system_design["lifecycle"] == 2
    assert system_design["past_lifecycles"][0]["outcome"] == "achieved"
    assert {m["status"] for m in system_design["milestones"]} == {"completed", "removed", "open"}


def test_destination_requirements_and_coach_over_http(admin_a):
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    base = f"/v1/clients/{client}"
    requirement = f"{base}/requirements/{seed_id(client, 'requirement', 'partners')}"

    assert admin_a.patch(f"{base}/destination", json={"horizon": "2032-01-31"}).status_code == 200
    assert (
        admin_a.patch(requirement, json={"description": "Trusted by product partners"}).status_code
        == 200
    )
    assert (
        admin_a.post(f"{requirement}/retire", json={"reason": "Covered by 'lead'"}).status_code
        == 200
    )
    assert admin_a.put(f"{base}/coach", json={"coach_id": "coach-2"}).status_code == 200

    plan = admin_a.get(base).json
    assert plan["destination"]["horizon"] == "2032-01-31" and plan["coach_id"] == "coach-2"
    assert plan["requirements_status"]["active"] == 5


def test_client_list_is_paginated_by_cursor(admin_a, services):
    clients = sorted(str(uuid.uuid4()) for _ in range(5))
    for client in clients:
        body = {
            "client_id": client,
            "coach_id": "coach-1",
            "display_name": "Sam",
            "timezone": "Europe/London",
        }
        assert admin_a.post("/v1/clients", json=body).status_code == 201
    services.projections.catch_up()

    seen, cursor = [], None
    while True:
        page = admin_a.get(
            "/v1/clients", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.json
        seen += [item["client_id"] for item in page.json["items"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert seen == clients
    assert admin_a.get("/v1/clients", query_string={"cursor": "%%%"}).status_code == 422


def test_request_id_is_echoed_and_becomes_the_correlation_id(admin_a, services):
    client = str(uuid.uuid4())
    body = {
        "client_id": client,
        "coach_id": "coach-1",
        "display_name": "Sam",
        "timezone": "Europe/London",
    }
    response = admin_a.post("/v1/clients", json=body, headers={"X-Request-ID": "req-42"})

    assert response.headers["X-Request-ID"] == "req-42"
    assert response.headers["Location"] == f"/v1/clients/{client}"
    event = services.store.read_stream(f"client-{client}")[0]
    assert event.metadata["correlation_id"] == "req-42"
    assert event.metadata["actor"] == f"key:{admin_a.key_id}"
    assert admin_a.get("/v1/me").headers["X-Request-ID"]  # generated when not sent


def test_each_request_is_logged_as_one_json_line(admin_a, caplog):
    import json
    import logging

    from careerplan.logs import json_formatter

    with caplog.at_level(logging.INFO, logger="careerplan.access"):
        admin_a.get("/v1/me", headers={"X-Request-ID": "req-7"})
    line = json.loads(json_formatter().format(caplog.records[-1]))
    assert (
        line["event"] == "request"
        and line["level"] == "info"
        and line["logger"] == "careerplan.access"
        and line["timestamp"].endswith("Z")
        and line["request_id"] == "req-7"
        and line["status"] == 200
        and line["actor"] == f"key:{admin_a.key_id}"
    )
