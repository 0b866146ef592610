"""Programme templates over HTTP: the demo's template applied to a new client, in whole or in part.

The demo organisation's "Senior software engineer in 5 years" template, applied
to a client enrolled today, lays the seed's table out on the roadmap: one goal
in each of next 3 months, 3–12 months, year 2 and years 3–4. A coach accepts
part of a template; a revision lists the clients whose plans came from an
earlier version with what differs; a retired template is not applied; bad
input is a problem that writes nothing; tenancy holds on every new route.
"""

from __future__ import annotations

import copy
import uuid

import pytest
from conftest import Caller
from test_api_problems import assert_problem

from careerplan.demo import ensure_demo
from careerplan.seed_template import SEED_TEMPLATE_NAME, seed_template_body

SEED_TIMEFRAMES = {
    "next 3 months": "system-design",
    "3–12 months": "lead-feature",
    "year 2": "mentor",
    "years 3–4": "initiative",
}


def enrol(caller: Caller, coach_id: str = "coach-1") -> str:
    client = str(uuid.uuid4())
    body = {"client_id": client, "coach_id": coach_id, "display_name": "Kim New", "timezone": "UTC"}
    assert caller.post("/v1/clients", json=body).status_code == 201
    return client


def create_template(caller: Caller, body: dict | None = None) -> str:
    created = caller.post(
        "/v1/templates",
        json={"name": SEED_TEMPLATE_NAME, "body": body or seed_template_body(), "note": "v1"},
    )
    assert created.status_code == 201, created.json
    assert created.headers["Location"] == f"/v1/templates/{created.json['template_id']}"
    return created.json["template_id"]


def plan_version(caller: Caller, client: str) -> int:
    return caller.get(f"/v1/clients/{client}").json["version"]


def test_the_demo_template_applied_to_a_new_client_gives_the_seeds_four_timeframes(
    services, http, clock
):
    demo = ensure_demo(services)
    admin = Caller(http, demo.admin_key, demo.organisation_id)
    (template,) = admin.get("/v1/templates").json["items"]
    assert template["name"] == SEED_TEMPLATE_NAME and template["status"] == "active"
    client = enrol(admin, "coach-demo")

    proposal = admin.post(
        f"/v1/clients/{client}/apply-template", json={"template_id": template["template_id"]}
    )
    assert proposal.status_code == 200, proposal.json
    assert proposal.json["start_on"] == clock.now.date().isoformat()
    assert len(proposal.json["requirements"]) >= 5 and proposal.json["destination"]
    assert plan_version(admin, client) == 1  # a proposal writes nothing

    accepted = admin.post(
        f"/v1/clients/{client}/apply-template/accept",
        json={"template_id": template["template_id"]},
    )
    assert accepted.status_code == 200, accepted.json
    types = [e["type"] for e in accepted.json["events"]]
    assert types[:2] == ["TemplateApplied", "DestinationSet"] and types.count("GoalSet") == 4
    assert accepted.json["goal_ids"] == [g["goal_id"] for g in proposal.json["goals"]]
    assert accepted.headers["ETag"] == f'"{accepted.json["version"]}"'

    roadmap = admin.get(f"/v1/clients/{client}/roadmap").json
    assert "timeframes" in roadmap, roadmap
    keys = {g["goal_id"]: g["key"] for g in proposal.json["goals"]}
    placed = {f["name"]: [keys[g["goal_id"]] for g in f["goals"]] for f in roadmap["timeframes"]}
    assert placed == {**{n: [k] for n, k in SEED_TIMEFRAMES.items()}, "later": []}
    assert roadmap["gaps"] == []
    plan = admin.get(f"/v1/clients/{client}").json
    milestones = [m for g in plan["goals"] for m in g["milestones"]]
    assert milestones and all(30 <= m["estimate_minutes"] <= 60 for m in milestones)
    history = admin.get(f"/v1/clients/{client}/history", query_string={"order": "oldest"}).json
    assert any("applied template" in e["description"] for e in history["items"])


def test_a_coach_accepts_part_of_a_template_and_the_rest_later(admin_a, services):
    template = create_template(admin_a)
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    client = enrol(admin_a)
    base = f"/v1/clients/{client}/apply-template"

    orphan = coach.post(
        f"{base}/accept",
        json={"template_id": template, "requirements": ["design"], "goals": ["lead-feature"]},
    )
    assert_problem(orphan, 422, "template_goal_without_requirement")
    assert plan_version(admin_a, client) == 1

    first = coach.post(
        f"{base}/accept",
        json={
            "template_id": template,
            "requirements": ["design", "lead", "portfolio"],
            "goals": ["lead-feature"],
        },
    )
    assert first.status_code == 200, first.json
    plan = admin_a.get(f"/v1/clients/{client}").json
    (goal,) = plan["goals"]
    assert goal["terms"]["follows"] == []  # its predecessor was left out
    assert [s["requirement_id"] for s in goal["terms"]["serves"]] == [
        r["requirement_id"] for r in plan["requirements"] if r["kind"] == "experience"
    ]  # "partners" was not accepted, so only "lead" is served

    proposal = coach.post(base, json={"template_id": template}).json
    in_plan = {r["key"] for r in proposal["requirements"] if r["in_plan"]}
    assert in_plan == {"design", "lead", "portfolio"}
    rest = coach.post(f"{base}/accept", json={"template_id": template}, headers={"If-Match": '"1"'})
    assert_problem(rest, 412, "stale_version")
    rest = coach.post(f"{base}/accept", json={"template_id": template})
    assert rest.status_code == 200, rest.json
    assert len(rest.json["requirement_ids"]) == 3 and len(rest.json["goal_ids"]) == 3
    again = coach.post(f"{base}/accept", json={"template_id": template})
    assert_problem(again, 422, "nothing_changed")


def test_an_acceptance_retried_with_its_idempotency_key_stores_one_set_of_events(admin_a):
    template = create_template(admin_a)
    client = enrol(admin_a)
    body = {"template_id": template, "goals": []}
    headers = {"Idempotency-Key": "apply-once"}
    first = admin_a.post(f"/v1/clients/{client}/apply-template/accept", json=body, headers=headers)
    second = admin_a.post(f"/v1/clients/{client}/apply-template/accept", json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json == second.json


def test_an_eleventh_requirement_refuses_the_whole_acceptance(admin_a, services):
    template = create_template(admin_a)
    client = enrol(admin_a)
    admin_a.put(
        f"/v1/clients/{client}/destination",
        json={
            "statement": "Lead a platform team.",
            "role": "team lead",
            "industry": "software",
            "impact": "a reliable platform",
            "horizon": "2030-01-01",
        },
    )
    for n in range(5):
        body = {"kind": "skill", "description": f"Skill {n}"}
        assert admin_a.post(f"/v1/clients/{client}/requirements", json=body).status_code == 201
    before = plan_version(admin_a, client)
    refused = admin_a.post(
        f"/v1/clients/{client}/apply-template/accept", json={"template_id": template}
    )
    assert_problem(refused, 409, "too_many_requirements")
    assert plan_version(admin_a, client) == before


def test_a_revision_lists_the_clients_from_an_earlier_version_with_what_differs(admin_a):
    template = create_template(admin_a)
    applied = enrol(admin_a)
    untouched = enrol(admin_a)
    accepted = admin_a.post(
        f"/v1/clients/{applied}/apply-template/accept", json={"template_id": template}
    )
    assert accepted.status_code == 200
    body = copy.deepcopy(seed_template_body())
    lead = next(r for r in body["requirements"] if r["key"] == "lead")
    lead["goals"][0]["start_month"] = 4
    body["requirements"] = [r for r in body["requirements"] if r["key"] != "partners"]
    lead["goals"][0]["also_serves"] = []

    revised = admin_a.post(
        f"/v1/templates/{template}/versions", json={"body": body, "note": "lead sooner"}
    )
    assert revised.status_code == 201, revised.json
    assert revised.headers["Location"] == f"/v1/templates/{template}/versions/2"
    assert revised.json["template"]["current_version"] == 2
    (affected,) = revised.json["affected_clients"]
    assert affected["client_id"] == applied and affected["applied_version"] == 1
    assert untouched not in {c["client_id"] for c in revised.json["affected_clients"]}
    assert affected["diff"]["requirements_removed"] == ["partners"]
    assert affected["diff"]["goals_changed"] == [
        {"key": "lead-feature", "fields": ["start_month", "serves"]}
    ]
    whole = admin_a.get(f"/v1/templates/{template}").json
    assert [v["version"] for v in whole["versions"]] == [1, 2]
    assert (
        whole["body"] == revised.json["version"]["body"] and len(whole["body"]["requirements"]) == 5
    )
    first = admin_a.get(f"/v1/templates/{template}/versions/1").json
    assert len(first["body"]["requirements"]) == 6  # kept as written
    same = admin_a.post(f"/v1/templates/{template}/versions", json={"body": body})
    assert_problem(same, 422, "nothing_changed")


def test_a_retired_template_is_kept_but_neither_applied_nor_revised(admin_a):
    template = create_template(admin_a)
    client = enrol(admin_a)
    retired = admin_a.post(f"/v1/templates/{template}/retire")
    assert retired.status_code == 200 and retired.json["status"] == "retired"
    assert retired.json["retired_at"]
    for path, body in (
        (f"/v1/clients/{client}/apply-template", {"template_id": template}),
        (f"/v1/clients/{client}/apply-template/accept", {"template_id": template}),
        (f"/v1/templates/{template}/versions", {"body": seed_template_body()}),
        (f"/v1/templates/{template}/retire", {}),
    ):
        assert_problem(admin_a.post(path, json=body), 409, "template_retired")
    assert plan_version(admin_a, client) == 1
    assert admin_a.get(f"/v1/templates/{template}").status_code == 200
    listed = admin_a.get("/v1/templates", query_string={"status": "active"}).json["items"]
    assert listed == []


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda b: b["requirements"].pop(), "invalid_template"),
        (lambda b: b["requirements"][0]["goals"][0].update(duration_months=25), "invalid_template"),
        (
            lambda b: b["requirements"][0]["goals"][0]["milestones"][0].update(estimate_minutes=90),
            "milestone_estimate_out_of_range",
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(follows=["nowhere"]),
            "unknown_template_key",
        ),
        (lambda b: b["requirements"][0].update(kind="hobby"), "validation_failed"),
    ],
)
def test_a_bad_template_is_a_problem_that_writes_nothing(admin_a, change, code):
    body = copy.deepcopy(seed_template_body())
    body["requirements"] = body["requirements"][:5]
    change(body)
    refused = admin_a.post("/v1/templates", json={"name": "Broken", "body": body})
    assert_problem(refused, 422, code)
    assert admin_a.get("/v1/templates").json["items"] == []


def test_templates_are_the_organisations_own_and_admins_write_them(admin_a, admin_b, services):
    template = create_template(admin_a)
    client = enrol(admin_a)
    assert admin_b.get("/v1/templates").json["items"] == []
    for method, path, body in (
        ("GET", f"/v1/templates/{template}", None),
        ("GET", f"/v1/templates/{template}/versions/1", None),
        ("POST", f"/v1/templates/{template}/versions", {}),
        ("POST", f"/v1/templates/{template}/retire", {}),
    ):
        assert_problem(admin_b.request(method, path, json=body), 404, "template_not_found")
    b_client = enrol(admin_b)
    assert_problem(
        admin_b.post(f"/v1/clients/{b_client}/apply-template", json={"template_id": template}),
        404,
        "template_not_found",
    )

    own = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    other = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    for reader in (own, auditor):
        assert reader.get(f"/v1/templates/{template}").status_code == 200
    assert_problem(
        own.post("/v1/templates", json={"name": "x", "body": seed_template_body()}),
        403,
        "forbidden_for_role",
    )
    assert_problem(own.post(f"/v1/templates/{template}/retire"), 403, "forbidden_for_role")
    body = {"template_id": template}
    assert_problem(
        other.post(f"/v1/clients/{client}/apply-template", json=body), 404, "client_not_found"
    )
    assert_problem(
        other.post(f"/v1/clients/{client}/apply-template/accept", json=body),
        404,
        "client_not_found",
    )
    assert_problem(
        auditor.post(f"/v1/clients/{client}/apply-template/accept", json=body),
        403,
        "forbidden_for_role",
    )
    assert own.post(f"/v1/clients/{client}/apply-template", json=body).status_code == 200
    assert plan_version(admin_a, client) == 1


def test_the_cohort_insight_counts_goals_by_the_template_they_came_from(admin_a, clock):
    template = create_template(admin_a)
    clients = [enrol(admin_a), enrol(admin_a, "coach-2")]
    accepted = [
        admin_a.post(f"/v1/clients/{c}/apply-template/accept", json={"template_id": template})
        for c in clients
    ]
    assert [a.status_code for a in accepted] == [200, 200]
    first_goal = accepted[0].json["goal_ids"][0]
    achieved = admin_a.post(f"/v1/clients/{clients[0]}/goals/{first_goal}/achieve", json={})
    assert achieved.status_code == 200, achieved.json
    today = clock.now.date().isoformat()

    answer = admin_a.get("/v1/insights", query_string={"from": today, "to": today})
    assert answer.status_code == 200, answer.json
    (row,) = [r for r in answer.json["by_template"] if r["template_id"] == template]
    goals = len(accepted[0].json["goal_ids"]) + len(accepted[1].json["goal_ids"])
    assert (row["template_version"], row["template_name"]) == (1, SEED_TEMPLATE_NAME)
    assert (row["goals"], row["achieved"], row["median_days_to_achieve"]) == (goals, 1, 0)
    narrowed = admin_a.get(
        "/v1/insights",
        query_string={"from": today, "to": today, "template_id": template, "coach_id": "coach-2"},
    ).json
    assert [(r["template_id"], r["goals"], r["achieved"]) for r in narrowed["by_template"]] == [
        (template, len(accepted[1].json["goal_ids"]), 0)
    ]
