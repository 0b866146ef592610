"""Career pivots over HTTP: the seed's software engineer pivots to product management."""

from __future__ import annotations

import uuid

import pytest
from test_api_journey import drive_seed
from test_api_problems import assert_problem, versions

from api.spec_examples import PIVOT_TO_PRODUCT
from careerplan.seed_example import seed_id

LEAD_PRODUCT = "Lead one product feature end-to-end, from discovery to rollout"


@pytest.fixture
def seeded(admin_a) -> dict:
    """The seed's client (ids of its goals and requirements by key) and its base path."""
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    ids = {
        key: seed_id(client, "goal", key)
        for key in ("system-design", "lead-feature", "mentor", "initiative")
    }
    for key in ("design", "lead", "impact", "mentor", "portfolio", "partners"):
        ids[f"r-{key}"] = seed_id(client, "requirement", key)
    return {"client": client, "base": f"/v1/clients/{client}", "ids": ids}


def start(caller, seeded, **headers):
    return caller.post(f"{seeded['base']}/pivots", json=PIVOT_TO_PRODUCT, headers=headers)


def decide(caller, path: str, **body) -> dict:
    response = caller.post(f"{path}/decisions", json=body)
    assert response.status_code == 200, response.json
    return response.json


def history(caller, base: str) -> list[dict]:
    return caller.get(f"{base}/history", query_string={"order": "oldest", "limit": 500}).json[
        "items"
    ]


def test_a_pivot_to_product_management_runs_through_its_review(admin_a, seeded):
    base, ids = seeded["base"], seeded["ids"]
    momentum_before = admin_a.get(f"{base}/momentum").json
    assert momentum_before["last_win_at"] is not None

    started = start(admin_a, seeded)
    assert started.status_code == 201, started.json
    pivot_id = started.json["pivot_id"]
    path = f"{base}/pivots/{pivot_id}"
    assert started.headers["Location"] == path
    new = [p["requirement_id"] for p in admin_a.get(path).json["proposed"]]
    assert [
        (c["requirement_id"], c["new_requirement_id"], c["likeness"])
        for c in started.json["carried_over"]
    ] == [
        (ids["r-lead"], new[0], "same"),
        (ids["r-partners"], new[1], "similar"),
    ]
    assert [g["goal_id"] for g in started.json["stranded_goals"]] == [
        ids["system-design"],
        ids["mentor"],
        ids["initiative"],
    ]
    assert [r["requirement_id"] for r in started.json["uncovered_requirements"]] == new[2:]
    assert started.json["uncovered_requirements"][0]["description"].startswith(
        "Discovers what customers"
    )

    review = admin_a.get(path)
    assert review.status_code == 200 and review.json["status"] == "open"
    assert review.json["from"]["role"] == "senior software engineer"
    assert review.json["to"]["role"] == "product manager"
    assert review.json["carried_over"] == started.json["carried_over"]
    assert (
        len(review.json["undecided_goal_ids"]) == 4
        and len(review.json["undecided_requirement_ids"]) == 6
    )
    assert admin_a.get(base).json["open_pivot_id"] == pivot_id

    goal = {  # a replacement serving a proposed requirement adds that requirement
        "statement": "Complete a product discovery course and run five customer interviews",
        "category": "skill",
        "measure": {
            "name": "customer interviews run",
            "baseline": 0,
            "target": 5,
            "unit": "interviews",
        },
        "confidence": 7,
        "serves": [
            {"requirement_id": new[2], "how_it_leads": "Discovery is the core of the role."}
        ],
        "start_on": "2026-11-27",
        "due_on": "2027-03-31",
    }
    replaced = decide(
        admin_a,
        path,
        goal_id=ids["system-design"],
        decision="replace",
        replacement=goal,
        note="PM now",
    )
    assert [e["type"] for e in replaced["events"]] == [
        "PivotDecisionRecorded",
        "RequirementAdded",
        "GoalSet",
        "GoalReplaced",
    ]
    decide(
        admin_a,
        path,
        goal_id=ids["lead-feature"],
        decision="tweak",
        refinement={"statement": LEAD_PRODUCT},
    )
    decide(admin_a, path, goal_id=ids["mentor"], decision="drop", note="Not a PM goal")
    decide(admin_a, path, goal_id=ids["initiative"], decision="drop", note="Not a PM goal")
    decide(admin_a, path, requirement_id=ids["r-design"], decision="drop", note="Engineering depth")
    kept = decide(admin_a, path, requirement_id=ids["r-lead"], decision="keep")
    assert [e["type"] for e in kept["events"]] == ["PivotDecisionRecorded"]
    decide(admin_a, path, requirement_id=ids["r-impact"], decision="replace", becomes=new[4])
    decide(admin_a, path, requirement_id=ids["r-mentor"], decision="drop")
    decide(admin_a, path, requirement_id=ids["r-portfolio"], decision="tweak", becomes=new[5])
    decide(admin_a, path, requirement_id=ids["r-partners"], decision="tweak")

    completed = admin_a.post(f"{path}/complete", json={"summary": "A product plan now"})
    assert completed.status_code == 200, completed.json
    assert [e["type"] for e in completed.json["events"]] == [
        "DestinationRevised",
        "RequirementAdded",
        "PivotCompleted",
    ]
    assert admin_a.get(path).json["status"] == "completed"

    plan = admin_a.get(base).json
    assert plan["destination"]["role"] == "product manager" and plan["open_pivot_id"] is None
    active = {r["requirement_id"] for r in plan["requirements"] if r["active"]}
    assert active == {ids["r-lead"], ids["r-portfolio"], ids["r-partners"], new[2], new[3], new[4]}
    roadmap = admin_a.get(f"{base}/roadmap").json
    assert roadmap["destination"]["role"] == "product manager"
    statements = [g["statement"] for frame in roadmap["timeframes"] for g in frame["goals"]]
    assert LEAD_PRODUCT in statements and len(statements) == 2
    gaps = {g["requirement_id"] for g in roadmap["gaps"]}
    assert gaps == {ids["r-portfolio"], new[3], new[4]}  # the reworded portfolio lost its goals

    momentum = admin_a.get(f"{base}/momentum").json
    assert (
        momentum["last_win_at"] == momentum_before["last_win_at"]
    )  # wins before the pivot stay wins
    assert momentum["weeks"] == momentum_before["weeks"]

    entries = history(admin_a, base)
    episode = [e for e in entries if e["episode"] == pivot_id]
    assert episode[0]["type"] == "PivotStarted" and episode[-1]["type"] == "PivotCompleted"
    assert [e["version"] for e in episode] == list(
        range(episode[0]["version"], episode[-1]["version"] + 1)
    )
    assert episode[0]["description"].startswith(
        "started a pivot from senior software engineer (software) to product manager (software products)"
    )
    assert "completed the pivot from senior software engineer" in episode[-1]["description"]
    assert all(e["episode"] is None for e in entries if e["version"] < episode[0]["version"])
    narrowed = admin_a.get(f"{base}/history", query_string={"goal_id": ids["mentor"]}).json["items"]
    assert {"PivotStarted", "PivotDecisionRecorded", "GoalDropped"} <= {e["type"] for e in narrowed}

    new_goal = {
        **goal,
        "statement": "Publish a product roadmap",
        "serves": [{"requirement_id": new[3], "how_it_leads": "x"}],
    }
    assert admin_a.post(f"{base}/goals", json=new_goal).status_code == 201


def test_no_new_goal_while_a_pivot_is_open_and_abandoning_keeps_the_destination(
    admin_a, seeded, services
):
    base, ids = seeded["base"], seeded["ids"]
    destination = admin_a.get(base).json["destination"]
    path = start(admin_a, seeded).headers["Location"]
    before = versions(services, seeded["client"])
    goal = {
        "statement": "Shadow a product manager for a sprint",
        "category": "experience",
        "measure": {"name": "sprint shadowed"},
        "confidence": 8,
        "serves": [{"requirement_id": ids["r-lead"], "how_it_leads": "x"}],
        "start_on": "2026-11-27",
        "due_on": "2027-01-31",
    }
    body = assert_problem(admin_a.post(f"{base}/goals", json=goal), 409, "pivot_open")
    assert "before setting new goals" in body["detail"]
    assert_problem(admin_a.post(f"{base}/reviews"), 409, "pivot_open")
    assert_problem(admin_a.patch(f"{base}/destination", json={"impact": "x"}), 409, "pivot_open")
    assert_problem(start(admin_a, seeded), 409, "pivot_already_open")
    assert_problem(admin_a.post(f"{path}/complete"), 409, "pivot_has_undecided")
    assert versions(services, seeded["client"]) == before

    check_in = {"value": 2, "confidence": 7, "note": "Module 2 done"}  # wins still count meanwhile
    checked = admin_a.post(f"{base}/goals/{ids['system-design']}/check-ins", json=check_in)
    assert checked.status_code == 201, checked.json
    abandoned = admin_a.post(f"{path}/abandon", json={"reason": "Staying in engineering"})
    assert [e["type"] for e in abandoned.json["events"]] == ["PivotAbandoned"]
    assert admin_a.get(path).json["status"] == "abandoned"
    assert admin_a.get(base).json["destination"] == destination
    assert admin_a.post(f"{base}/goals", json=goal).status_code == 201
    assert_problem(admin_a.post(f"{path}/abandon"), 409, "pivot_not_open")
    pivot_id = path.rsplit("/", 1)[1]
    entries = {e["type"]: e for e in history(admin_a, base) if e["version"] > before - 1}
    assert entries["PivotAbandoned"]["episode"] == pivot_id
    assert entries["CheckInRecorded"]["episode"] is None  # during the pivot, not part of it
    assert entries["PivotAbandoned"]["description"].endswith(": Staying in engineering")


def test_revising_the_role_opens_a_pivot_and_a_statement_alone_stays_a_revision(admin_a, seeded):
    base = seeded["base"]
    plain = admin_a.patch(f"{base}/destination", json={"horizon": "2032-05-27"})
    assert [e["type"] for e in plain.json["events"]] == ["DestinationRevised"]
    assert "pivot_id" not in plain.json
    opened = admin_a.patch(f"{base}/destination", json={"role": "engineering manager"})
    assert opened.status_code == 200 and [e["type"] for e in opened.json["events"]] == [
        "PivotStarted"
    ]
    review = admin_a.get(f"{base}/pivots/{opened.json['pivot_id']}").json
    assert review["to"]["role"] == "engineering manager" and review["carried_over"] == []
    assert len(review["stranded_goals"]) == 4
    assert admin_a.get(base).json["destination"]["role"] == "senior software engineer"


def test_bad_pivot_input_is_a_problem_and_writes_nothing(admin_a, seeded, services):
    base, ids = seeded["base"], seeded["ids"]
    before = versions(services, seeded["client"])
    same_role = {**PIVOT_TO_PRODUCT, "role": "senior software engineer", "industry": "software"}
    assert_problem(admin_a.post(f"{base}/pivots", json=same_role), 422, "not_a_pivot")
    eleven = {**PIVOT_TO_PRODUCT, "requirements": PIVOT_TO_PRODUCT["requirements"] * 2}
    assert_problem(admin_a.post(f"{base}/pivots", json=eleven), 422, "validation_failed")
    no_kind = {**PIVOT_TO_PRODUCT, "requirements": [{"description": "x"}]}
    assert_problem(admin_a.post(f"{base}/pivots", json=no_kind), 422, "validation_failed")
    assert_problem(admin_a.get(f"{base}/pivots/{uuid.uuid4()}"), 404, "pivot_not_found")
    assert versions(services, seeded["client"]) == before

    path = start(admin_a, seeded).headers["Location"]
    before = versions(services, seeded["client"])
    both = {"goal_id": ids["mentor"], "requirement_id": ids["r-lead"], "decision": "keep"}
    assert_problem(admin_a.post(f"{path}/decisions", json=both), 422, "validation_failed")
    unknown = {"goal_id": ids["mentor"], "decision": "achieved"}
    assert_problem(admin_a.post(f"{path}/decisions", json=unknown), 422, "validation_failed")
    bare_drop = {"goal_id": ids["mentor"], "decision": "drop"}
    assert_problem(
        admin_a.post(f"{path}/decisions", json=bare_drop), 422, "decision_details_mismatch"
    )
    tweak = {"requirement_id": ids["r-design"], "decision": "tweak"}
    assert_problem(admin_a.post(f"{path}/decisions", json=tweak), 422, "decision_details_mismatch")
    assert_problem(
        admin_a.post(
            f"{path}/decisions",
            json={"goal_id": ids["mentor"], "decision": "keep"},
            headers={"If-Match": '"1"'},
        ),
        412,
        "stale_version",
    )
    assert versions(services, seeded["client"]) == before


def test_a_retried_start_with_the_same_idempotency_key_starts_one_pivot(admin_a, seeded, services):
    first = start(admin_a, seeded, **{"Idempotency-Key": "pivot-1"})
    again = start(admin_a, seeded, **{"Idempotency-Key": "pivot-1"})
    assert first.status_code == again.status_code == 201
    assert first.json["pivot_id"] == again.json["pivot_id"]
    assert first.json["uncovered_requirements"] == again.json["uncovered_requirements"]
    assert len({r["requirement_id"] for r in first.json["uncovered_requirements"]}) == 4


def test_pivots_are_reached_by_the_clients_coaches_and_admins_only(
    admin_a, admin_b, seeded, services
):
    base = seeded["base"]
    path = start(admin_a, seeded).headers["Location"]
    before = versions(services, seeded["client"])
    other_coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    own_coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    decision = {"goal_id": seeded["ids"]["mentor"], "decision": "keep"}
    for caller, code in ((admin_b, "client_not_found"), (other_coach, "client_not_found")):
        assert_problem(caller.get(path), 404, code)
        assert_problem(caller.post(f"{base}/pivots", json=PIVOT_TO_PRODUCT), 404, code)
        assert_problem(caller.post(f"{path}/decisions", json=decision), 404, code)
        assert_problem(caller.post(f"{path}/complete"), 404, code)
        assert_problem(caller.post(f"{path}/abandon"), 404, code)
    assert auditor.get(path).status_code == 200
    assert_problem(auditor.post(f"{path}/decisions", json=decision), 403, "forbidden_for_role")
    assert_problem(auditor.post(f"{path}/abandon"), 403, "forbidden_for_role")
    assert versions(services, seeded["client"]) == before
    assert own_coach.post(f"{path}/decisions", json=decision).status_code == 200
    assert own_coach.post(f"{path}/abandon").status_code == 200
