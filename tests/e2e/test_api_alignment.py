"""Re-alignment over HTTP: a check now or as on a past day, the current findings, and the caseload."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from conftest import NOW
from seed_over_http import request_for, seed_requests

from careerplan.seed_example import seed_id
from domain import commands as c
from domain.values import Contribution, GoalTerms, Measure

DAY0 = NOW.date()


def seed_client(caller) -> str:
    """The seed's example client, enrolled at NOW: its first goal starts today with a win."""
    client = str(uuid.uuid4())
    for method, path, body in seed_requests(client, "coach-1", DAY0):
        assert caller.request(method, path, json=body).status_code in (200, 201)
    return client


def send(caller, client: str, command: c.Command):
    method, path, body = request_for(client, command)
    response = caller.request(method, path, json=body)
    assert response.status_code in (200, 201), (path, response.json)
    return response


def roadmap_entry(caller, client: str, goal_id: str) -> dict:
    """The goal's entry in the client's roadmap, whichever timeframe it is due in."""
    roadmap = caller.get(f"/v1/clients/{client}/roadmap").json
    [entry] = [
        g for frame in roadmap["timeframes"] for g in frame["goals"] if g["goal_id"] == goal_id
    ]
    return entry


def rules(findings: list[dict], goal_id: str | None = None) -> set[str]:
    return {f["rule"] for f in findings if goal_id is None or f["goal_id"] == goal_id}


def test_a_check_now_records_and_returns_its_findings(admin_a, clock):
    client = seed_client(admin_a)
    clock.advance(days=30)
    course = seed_id(client, "goal", "system-design")

    checked = admin_a.post(f"/v1/clients/{client}/alignment-checks")
    assert checked.status_code == 201, checked.json
    body = checked.json
    assert (
        body["checked_at"] == clock.now.isoformat()
        and checked.headers["ETag"] == f'"{body["version"]}"'
    )
    stalled = next(f for f in body["findings"] if f["rule"] == "goal_stalled")
    assert stalled["goal_id"] == course and stalled["severity"] == "warning"
    assert (
        stalled["suggested_action"] == "tweak"
        and stalled["summary"] == "stalled: no win for 30 days"
    )
    assert "no win for 30 days" in stalled["message"] and stalled["requirement_id"] is None

    history = admin_a.get(
        f"/v1/clients/{client}/history", query_string={"type": "AlignmentChecked"}
    ).json
    [event] = history["items"]
    assert event["data"]["check_id"] == body["check_id"] and event["version"] == body["version"]


def test_a_check_on_a_past_day_judges_the_plan_as_it_was_then(admin_a, clock):
    client = seed_client(admin_a)
    course = seed_id(client, "goal", "system-design")
    clock.advance(days=30)
    send(
        admin_a,
        client,
        c.RecordCheckIn(goal_id=course, check_in_id=str(uuid.uuid4()), value=3, confidence=7),
    )
    now = admin_a.post(f"/v1/clients/{client}/alignment-checks").json
    assert "goal_stalled" not in rules(now["findings"], course)  # the check-in today is a win

    past_day = DAY0 + timedelta(days=28)
    then = admin_a.post(f"/v1/clients/{client}/alignment-checks", json={"on": past_day.isoformat()})
    assert then.status_code == 201, then.json
    assert then.json["version"] == now["version"] + 1  # appended to the current stream
    assert then.json["checked_at"] == "2026-12-25T23:59:59.999999+00:00"  # the day's end in London
    stalled = next(f for f in then.json["findings"] if f["rule"] == "goal_stalled")
    assert stalled["goal_id"] == course and stalled["summary"] == "stalled: no win for 28 days"

    current = admin_a.get(f"/v1/clients/{client}/findings").json
    assert (
        current["check_id"] == now["check_id"]
    )  # a back-dated check does not replace the current one
    assert "goal_stalled" not in rules(current["items"], course)


def test_a_check_on_a_future_day_or_before_enrolment_is_refused_and_writes_nothing(admin_a, clock):
    client = seed_client(admin_a)
    version = admin_a.get(f"/v1/clients/{client}").json["version"]
    base = f"/v1/clients/{client}/alignment-checks"

    future = admin_a.post(base, json={"on": (DAY0 + timedelta(days=1)).isoformat()})
    assert future.status_code == 422 and future.json["type"].endswith("occurred_in_future")
    assert future.headers["Content-Type"] == "application/problem+json"
    before = admin_a.post(base, json={"on": (DAY0 - timedelta(days=1)).isoformat()})
    assert before.status_code == 404 and before.json["type"].endswith("not_enrolled_yet")
    bad = admin_a.post(base, json={"on": "yesterday", "extra": 1})
    assert bad.status_code == 422 and set(bad.json["errors"]["json"]) == {"on", "extra"}

    assert admin_a.get(f"/v1/clients/{client}").json["version"] == version


def test_only_an_admin_or_the_client_s_coach_may_check_or_read_findings(admin_a, admin_b, services):
    client = seed_client(admin_a)
    base = f"/v1/clients/{client}"
    own = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    other = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))

    assert own.post(f"{base}/alignment-checks").status_code == 201
    assert own.get(f"{base}/findings").status_code == 200
    for caller in (other, admin_b):
        assert caller.post(f"{base}/alignment-checks").json["type"].endswith("client_not_found")
        assert caller.get(f"{base}/findings").status_code == 404
    assert auditor.post(f"{base}/alignment-checks").status_code == 403
    assert auditor.get(f"{base}/findings").status_code == 200
    assert own.post("/v1/alignment-sweeps").status_code == 403
    checks = admin_a.get(f"{base}/history", query_string={"type": "AlignmentChecked"}).json["items"]
    assert len(checks) == 1


def test_a_retried_check_with_the_same_idempotency_key_records_one_check(admin_a):
    client = seed_client(admin_a)
    key = {"Idempotency-Key": "check-once"}
    first = admin_a.post(f"/v1/clients/{client}/alignment-checks", headers=key)
    again = admin_a.post(f"/v1/clients/{client}/alignment-checks", headers=key)
    assert first.status_code == again.status_code == 201 and again.json == first.json
    checks = admin_a.get(
        f"/v1/clients/{client}/history", query_string={"type": "AlignmentChecked"}
    ).json
    assert len(checks["items"]) == 1


FIRST_STEP, NEXT_STEP = str(uuid.uuid4()), str(uuid.uuid4())


def _small_plan(caller, client: str) -> str:
    """One requirement, one goal serving it (due in 300 days), one open milestone: the goal's id."""
    requirement, goal = str(uuid.uuid4()), str(uuid.uuid4())
    caller.post(
        "/v1/clients",
        json={
            "client_id": client,
            "coach_id": "coach-1",
            "display_name": "Ada",
            "timezone": "Europe/London",
        },
    )
    send(
        caller,
        client,
        c.SetDestination(
            statement="Become a staff engineer.",
            role="staff engineer",
            industry="software",
            impact="reliable systems",
            horizon=date(2031, 1, 1),
        ),
    )
    send(
        caller,
        client,
        c.AddRequirement(requirement_id=requirement, kind="skill", description="System design"),
    )
    send(
        caller,
        client,
        c.SetGoal(
            goal_id=goal,
            terms=GoalTerms(
                statement="Finish the design course",
                category="skill",
                measure=Measure.metric("modules", 0, 10, "modules"),
                confidence=7,
                serves=(Contribution(requirement, "Builds design depth."),),
                start_on=DAY0,
                due_on=DAY0 + timedelta(days=300),
            ),
        ),
    )
    send(
        caller,
        client,
        c.AddMilestone(
            goal_id=goal, milestone_id=FIRST_STEP, title="Read one chapter", estimate_minutes=45
        ),
    )
    return goal


def test_findings_are_current_since_their_first_check_and_go_once_a_later_check_is_clean(
    admin_a, clock
):
    client = str(uuid.uuid4())
    goal = _small_plan(admin_a, client)
    clock.advance(days=30)
    first = admin_a.post(f"/v1/clients/{client}/alignment-checks").json
    clock.advance(days=1)
    admin_a.post(f"/v1/clients/{client}/alignment-checks")

    current = admin_a.get(f"/v1/clients/{client}/findings").json
    [stalled] = current["items"]
    assert (stalled["rule"], stalled["goal_id"], stalled["since"]) == (
        "goal_stalled",
        goal,
        first["checked_at"],
    )
    assert (
        stalled["goal_statement"] == "Finish the design course"
        and stalled["requirement_description"] is None
    )
    assert [f["rule"] for f in roadmap_entry(admin_a, client, goal)["findings"]] == ["goal_stalled"]

    send(admin_a, client, c.CompleteMilestone(goal_id=goal, milestone_id=FIRST_STEP))
    send(
        admin_a,
        client,
        c.AddMilestone(
            goal_id=goal, milestone_id=NEXT_STEP, title="Read another chapter", estimate_minutes=45
        ),
    )
    clean = admin_a.post(f"/v1/clients/{client}/alignment-checks").json
    assert clean["findings"] == []
    assert admin_a.get(f"/v1/clients/{client}/findings").json == {
        "client_id": client,
        "check_id": clean["check_id"],
        "checked_at": clean["checked_at"],
        "total": 0,
        "items": [],
        "next_cursor": None,
    }
    assert roadmap_entry(admin_a, client, goal)["findings"] == []
    history = admin_a.get(
        f"/v1/clients/{client}/history", query_string={"type": "AlignmentChecked"}
    ).json
    assert len(history["items"]) == 3  # the earlier findings stay in the history


def test_the_caseload_returns_the_alignment_summary_and_a_critical_finding_raises_the_score(
    admin_a, clock
):
    client = seed_client(admin_a)
    course = seed_id(client, "goal", "system-design")
    clock.advance(days=100)  # the course was due at 3 months: overdue
    before = admin_a.get("/v1/caseload").json["items"][0]
    assert before["alignment"] is None
    checked = admin_a.post(f"/v1/clients/{client}/alignment-checks").json
    overdue = next(f for f in checked["findings"] if f["rule"] == "goal_overdue")
    assert overdue["severity"] == "critical" and overdue["goal_id"] == course

    [entry] = admin_a.get("/v1/caseload").json["items"]
    assert entry["score"] == before["score"] + 3
    assert entry["critical_findings"] == [
        {"rule": "goal_overdue", "goal_id": course, "requirement_id": None}
    ]
    assert entry["reasons"][-1].startswith(
        "critical finding: goal 'Complete one advanced course in system design"
    )
    assert entry["reasons"][-1].endswith(f"{overdue['summary']} (suggested: tweak)")
    summary = entry["alignment"]
    assert (summary["checked_at"], summary["total"], summary["critical"]) == (
        checked["checked_at"],
        len(checked["findings"]),
        1,
    )
    assert summary["top"][0]["rule"] == "goal_overdue"
