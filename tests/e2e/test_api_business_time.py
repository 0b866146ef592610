"""Business time over HTTP: back-dated facts, the refusals that keep them consistent, and the two as-of questions."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from conftest import NOW
from test_api_problems import assert_problem, versions

ENROLLED = NOW - timedelta(days=60)


def at(moment) -> str:
    return moment.isoformat()


@pytest.fixture
def plan(admin_a) -> dict:
    """A client enrolled 60 days ago, with a destination, a requirement, a goal set 50 days ago and a milestone."""
    client = str(uuid.uuid4())
    base = f"/v1/clients/{client}"
    ok = admin_a.post(
        "/v1/clients",
        json={
            "client_id": client,
            "coach_id": "coach-1",
            "display_name": "Sam",
            "timezone": "Europe/London",
            "occurred_at": at(ENROLLED),
        },
    )
    assert ok.status_code == 201, ok.json
    assert (
        admin_a.put(
            f"{base}/destination",
            json={
                "statement": "Become a senior software engineer in 5 years.",
                "role": "senior software engineer",
                "industry": "software",
                "impact": "reliable systems",
                "horizon": "2031-11-27",
                "occurred_at": at(ENROLLED),
            },
        ).status_code
        == 200
    )
    requirement = admin_a.post(
        f"{base}/requirements",
        json={"kind": "skill", "description": "System design", "occurred_at": at(ENROLLED)},
    ).json["requirement_id"]
    goal = admin_a.post(
        f"{base}/goals",
        json={
            "statement": "Complete a system design course",
            "category": "skill",
            "measure": {"name": "modules", "baseline": 0, "target": 10},
            "confidence": 7,
            "serves": [{"requirement_id": requirement, "how_it_leads": "Builds technical depth."}],
            "start_on": (NOW - timedelta(days=50)).date().isoformat(),
            "due_on": "2027-02-27",
            "occurred_at": at(NOW - timedelta(days=50)),
        },
    )
    assert goal.status_code == 201, goal.json
    goal_path = f"{base}/goals/{goal.json['goal_id']}"
    milestone = admin_a.post(
        f"{goal_path}/milestones",
        json={
            "title": "Outline module 1",
            "estimate_minutes": 45,
            "occurred_at": at(NOW - timedelta(days=40)),
        },
    )
    assert milestone.status_code == 201, milestone.json
    return {
        "client": client,
        "base": base,
        "goal": goal_path,
        "milestone": f"{goal_path}/milestones/{milestone.json['milestone_id']}",
    }


def test_a_back_dated_win_counts_in_the_week_it_happened(admin_a, plan):
    done = admin_a.post(
        f"{plan['milestone']}/complete", json={"occurred_at": at(NOW - timedelta(days=21))}
    )
    assert done.status_code == 200, done.json
    momentum = admin_a.get(f"{plan['base']}/momentum").json
    three_weeks_ago = (NOW - timedelta(days=21)).isocalendar()
    week = f"{three_weeks_ago.year}-W{three_weeks_ago.week:02d}"
    assert [w["milestones"] for w in momentum["weeks"] if w["week"] == week] == [1]
    assert momentum["last_win_at"].startswith((NOW - timedelta(days=21)).date().isoformat())


@pytest.mark.parametrize(
    "path, body, code",
    [
        ("milestone", {"occurred_at": at(NOW + timedelta(minutes=10))}, "occurred_in_future"),
        (
            "milestone",
            {"occurred_at": at(ENROLLED - timedelta(days=1))},
            "occurred_before_enrolment",
        ),
        ("milestone", {"occurred_at": at(NOW - timedelta(days=45))}, "occurred_before_milestone"),
        (
            "check-in",
            {"value": 1, "confidence": 6, "occurred_at": at(NOW - timedelta(days=55))},
            "occurred_before_goal",
        ),
        ("pause", {"occurred_at": at(NOW - timedelta(days=55))}, "occurred_before_goal"),
    ],
)
def test_a_moment_that_cannot_be_is_a_422_and_writes_nothing(
    admin_a, services, plan, path, body, code
):
    url = {
        "milestone": f"{plan['milestone']}/complete",
        "check-in": f"{plan['goal']}/check-ins",
        "pause": f"{plan['goal']}/pause",
    }[path]
    before = versions(services, plan["client"])
    problem = assert_problem(admin_a.post(url, json=body), 422, code)
    assert "occurred_at" in problem["detail"] or "before" in problem["detail"]
    assert versions(services, plan["client"]) == before


def test_status_changes_and_review_steps_follow_each_other_in_business_time(
    admin_a, services, plan
):
    assert (
        admin_a.post(
            f"{plan['goal']}/pause", json={"occurred_at": at(NOW - timedelta(days=10))}
        ).status_code
        == 200
    )
    before = versions(services, plan["client"])
    assert_problem(
        admin_a.post(f"{plan['goal']}/resume", json={"occurred_at": at(NOW - timedelta(days=11))}),
        422,
        "occurred_before_last_change",
    )
    assert (
        admin_a.post(
            f"{plan['goal']}/resume", json={"occurred_at": at(NOW - timedelta(days=3))}
        ).status_code
        == 200
    )
    review = admin_a.post(
        f"{plan['base']}/reviews", json={"occurred_at": at(NOW - timedelta(days=2))}
    )
    assert review.status_code == 201, review.json
    decision = {
        "goal_id": plan["goal"].rsplit("/", 1)[1],
        "decision": "keep",
        "occurred_at": at(NOW - timedelta(days=2, hours=1)),
    }
    before = versions(services, plan["client"])
    assert_problem(
        admin_a.post(f"{plan['base']}/reviews/{review.json['review_id']}/decisions", json=decision),
        422,
        "occurred_before_review",
    )
    assert versions(services, plan["client"]) == before


def test_a_naive_or_malformed_occurred_at_is_a_422_field_error(admin_a, services, plan):
    before = versions(services, plan["client"])
    for value in ("2026-11-20T10:00:00", "last tuesday"):
        problem = assert_problem(
            admin_a.post(f"{plan['milestone']}/complete", json={"occurred_at": value}),
            422,
            "validation_failed",
        )
        assert "occurred_at" in problem["errors"]["json"]
    assert versions(services, plan["client"]) == before


def test_a_goal_may_not_start_years_before_it_is_set(admin_a, services, plan):
    body = admin_a.get(plan["goal"].rsplit("/goals", 1)[0]).json["goals"][0]["terms"]
    body = {key: body[key] for key in ("statement", "category", "confidence", "due_on")} | {
        "measure": {"name": "modules", "baseline": 0, "target": 10},
        "start_on": "2023-01-01",
        "serves": [{"requirement_id": body["serves"][0]["requirement_id"], "how_it_leads": "x"}],
    }
    before = versions(services, plan["client"])
    problem = assert_problem(
        admin_a.post(f"{plan['base']}/goals", json=body), 422, "start_too_early"
    )
    assert "on or after" in problem["detail"]
    assert versions(services, plan["client"]) == before


def test_as_of_answers_what_was_known_then_and_what_was_true_then(admin_a, services, plan):
    admin_a.post(
        f"{plan['milestone']}/complete", json={"occurred_at": at(NOW - timedelta(days=20))}
    )
    history = admin_a.get(f"{plan['base']}/history?order=oldest").json["items"]
    before_completion = history[-2]["recorded_at"]

    on = admin_a.get(
        f"{plan['base']}/as-of", query_string={"on": (NOW - timedelta(days=19)).date().isoformat()}
    )
    assert on.status_code == 200, on.json
    assert on.json["goals"][0]["milestones"][0]["status"] == "completed"
    earlier = admin_a.get(
        f"{plan['base']}/as-of", query_string={"on": (NOW - timedelta(days=25)).date().isoformat()}
    )
    assert earlier.json["goals"][0]["milestones"][0]["status"] == "open"
    known = admin_a.get(f"{plan['base']}/as-of", query_string={"known_at": before_completion})
    assert known.json["goals"][0]["milestones"][0]["status"] == "open"

    day_before = (ENROLLED - timedelta(days=1)).date().isoformat()
    assert_problem(
        admin_a.get(f"{plan['base']}/as-of", query_string={"on": day_before}),
        404,
        "not_enrolled_yet",
    )
    assert_problem(
        admin_a.get(f"{plan['base']}/as-of", query_string={"known_at": "2020-01-01T00:00:00Z"}),
        404,
        "not_enrolled_yet",
    )
    assert_problem(
        admin_a.get(f"/v1/clients/{uuid.uuid4()}/as-of", query_string={"on": day_before}),
        404,
        "client_not_found",
    )
    both = admin_a.get(
        f"{plan['base']}/as-of", query_string={"on": day_before, "known_at": before_completion}
    )
    assert_problem(both, 422, "validation_failed")


def test_a_goal_that_serves_nothing_gets_the_plans_explanation(admin_a, services):
    client = str(uuid.uuid4())
    admin_a.post(
        "/v1/clients",
        json={"client_id": client, "coach_id": "coach-1", "display_name": "Ana", "timezone": "UTC"},
    )
    admin_a.put(
        f"/v1/clients/{client}/destination",
        json={
            "statement": "Lead a data team.",
            "role": "data lead",
            "industry": "retail",
            "impact": "better decisions",
            "horizon": "2030-01-01",
        },
    )
    goal = {
        "statement": "Learn SQL window functions",
        "category": "skill",
        "measure": {"name": "done"},
        "confidence": 6,
        "start_on": "2026-11-27",
        "due_on": "2027-02-27",
    }
    before = versions(services, client)
    for body in (goal, {**goal, "serves": []}):
        problem = assert_problem(
            admin_a.post(f"/v1/clients/{client}/goals", json=body), 422, "goal_serves_nothing"
        )
        assert "add the 5–10 skills" in problem["detail"]
    assert versions(services, client) == before


def test_a_milestone_outside_the_norm_is_accepted_with_a_warning_and_the_hard_limits_are_stated(
    admin_a, plan
):
    short = admin_a.post(
        f"{plan['goal']}/milestones", json={"title": "Book the course", "estimate_minutes": 20}
    )
    assert short.status_code == 201 and "30–60 minute norm" in short.json["warnings"][0]
    usual = admin_a.post(
        f"{plan['goal']}/milestones", json={"title": "Read chapter 2", "estimate_minutes": 45}
    )
    assert usual.status_code == 201 and usual.json["warnings"] == []
    problem = assert_problem(
        admin_a.post(f"{plan['goal']}/milestones", json={"title": "x", "estimate_minutes": 10}),
        422,
        "milestone_estimate_out_of_range",
    )
    assert "15" in problem["detail"] and "120" in problem["detail"]
