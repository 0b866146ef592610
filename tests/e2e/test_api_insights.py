"""GET /v1/insights over a seeded organisation, against figures computed here from what was seeded.

Five clients of three coaches, enrolled in three months, each with a goal
achieved after a known number of days, a goal that stalls for odd-numbered
clients, a recent goal, and (two of them) a review: the test works out the
figures from that plan alone (no projection code) and compares.
"""

from __future__ import annotations

import statistics
import uuid
from datetime import timedelta

import pytest
from test_api_problems import assert_problem

from domain.dates import add_months
from tests.e2e.conftest import NOW

TODAY = NOW.date()
START = TODAY - timedelta(days=90)
RANGE = {"from": START.isoformat(), "to": TODAY.isoformat()}
COACHES = ("coach-1", "coach-1", "coach-2", "coach-2", "coach-3")
ENROLLED_AGO = (120, 100, 60, 45, 110)
REVIEWED = (1, 2)  # the clients with a review 3 days ago (completed 2 days ago)


def ago(days: int, hours: int = 0) -> str:
    return (NOW - timedelta(days=days, hours=hours)).isoformat()


def plan(index: int) -> dict:
    """What the test seeds for client `index`: goals with set, achieved and win days (days ago)."""
    set_first = min(ENROLLED_AGO[index] - 1, 80)
    goals = [
        {
            "name": "G1",
            "kinds": {"skill"},
            "set": set_first,
            "achieved": set_first - (5 + 3 * index),
        },
        {"name": "G2", "kinds": {"skill", "experience"}, "set": 40 - index, "achieved": None},
        {"name": "G3", "kinds": {"experience"}, "set": 10, "achieved": None},
    ]
    if index == 0:  # set before the range: no goal figure, but the client's attention sees it
        goals.append({"name": "G0", "kinds": {"skill"}, "set": 100, "achieved": None})
    for goal in goals:
        goal["win"] = 10 if goal["name"] == "G2" and index % 2 == 0 else None
    return {
        "index": index,
        "coach": COACHES[index],
        "enrolled": ENROLLED_AGO[index],
        "cohort": (TODAY - timedelta(days=ENROLLED_AGO[index])).isoformat()[:7],
        "goals": goals,
        "decisions": ["keep", "tweak"] if index in REVIEWED else [],
    }


def seed_client(admin, spec: dict) -> str:
    client = str(uuid.uuid4())
    base = f"/v1/clients/{client}"
    enrolled = admin.post(
        "/v1/clients",
        json={
            "client_id": client,
            "coach_id": spec["coach"],
            "display_name": f"Client {spec['index']}",
            "timezone": "UTC",
            "occurred_at": ago(spec["enrolled"]),
        },
    )
    assert enrolled.status_code == 201, enrolled.json
    destination = admin.put(
        f"{base}/destination",
        json={
            "statement": "Become an engineering manager in 4 years.",
            "role": "engineering manager",
            "industry": "software",
            "impact": "healthy teams",
            "horizon": "2030-11-27",
            "occurred_at": ago(spec["enrolled"]),
        },
    )
    assert destination.status_code == 200, destination.json
    requirements = {
        kind: admin.post(
            f"{base}/requirements",
            json={"kind": kind, "description": f"A {kind}", "occurred_at": ago(spec["enrolled"])},
        ).json["requirement_id"]
        for kind in ("skill", "experience")
    }
    for goal in spec["goals"]:
        set_at = TODAY - timedelta(days=goal["set"])
        made = admin.post(
            f"{base}/goals",
            json={
                "statement": f"Goal {goal['name']}",
                "category": "skill",
                "measure": {"name": "steps", "baseline": 0, "target": 10},
                "confidence": 7,
                "serves": [
                    {"requirement_id": requirements[k], "how_it_leads": "It leads there."}
                    for k in sorted(goal["kinds"])
                ],
                "start_on": set_at.isoformat(),
                "due_on": "2027-10-01",
                "occurred_at": ago(goal["set"]),
            },
        )
        assert made.status_code == 201, made.json
        goal["path"] = f"{base}/goals/{made.json['goal_id']}"
        if goal["win"] is not None:
            milestone = admin.post(
                f"{goal['path']}/milestones",
                json={
                    "title": "A step",
                    "estimate_minutes": 30,
                    "occurred_at": ago(goal["win"], 1),
                },
            ).json["milestone_id"]
            done = admin.post(
                f"{goal['path']}/milestones/{milestone}/complete",
                json={"occurred_at": ago(goal["win"])},
            )
            assert done.status_code == 200, done.json
        if goal["achieved"] is not None:
            done = admin.post(
                f"{goal['path']}/achieve", json={"occurred_at": ago(goal["achieved"])}
            )
            assert done.status_code == 200, done.json
    if spec["decisions"]:
        review = admin.post(f"{base}/reviews", json={"occurred_at": ago(3)})
        assert review.status_code == 201, review.json
        path = f"{base}/reviews/{review.json['review_id']}"
        open_goals = [g for g in spec["goals"] if g["achieved"] is None]
        for goal, decision in zip(open_goals, spec["decisions"] * len(open_goals)):
            body = {"goal_id": goal["path"].rsplit("/", 1)[1], "decision": decision}
            if decision == "tweak":
                body["refinement"] = {"due_on": "2027-09-01"}
            decided = admin.post(f"{path}/decisions", json={**body, "occurred_at": ago(3)})
            assert decided.status_code == 200, decided.json
            goal["decision"] = decision
        done = admin.post(f"{path}/complete", json={"summary": "Fine", "occurred_at": ago(2)})
        assert done.status_code == 200, done.json
    return client


@pytest.fixture
def seeded(admin_a) -> list[dict]:
    specs = [plan(index) for index in range(len(COACHES))]
    for spec in specs:
        spec["client_id"] = seed_client(admin_a, spec)
    return specs


# The figures, worked out from the plans alone.


def stalled(goal: dict) -> bool:
    quiet_since = min(goal["set"], goal["win"] if goal["win"] is not None else goal["set"])
    return goal["achieved"] is None and quiet_since >= 21


def goal_figures(goals: list[dict]) -> dict:
    days = [g["set"] - g["achieved"] for g in goals if g["achieved"] is not None]
    n = len(goals)
    return {
        "goals": n,
        "achieved": len(days),
        "achieved_share": round(len(days) / n, 4) if n else None,
        "median_days_to_achieve": float(statistics.median(days)) if days else None,
        "stalled": sum(map(stalled, goals)),
        "stalled_share": round(sum(map(stalled, goals)) / n, 4) if n else None,
    }


def needs_attention(spec: dict) -> bool:
    review_due = (
        not spec["decisions"] and add_months(TODAY - timedelta(days=spec["enrolled"]), 3) <= TODAY
    )
    return review_due or any(map(stalled, spec["goals"]))


def momentum(specs: list[dict]) -> dict:
    trend, buckets = {"up": 0, "flat": 0, "down": 0}, {"0": 0, "1-2": 0, "3-5": 0, "6+": 0}
    for spec in specs:
        wins = [d for g in spec["goals"] for d in (g["win"], g["achieved"]) if d is not None]
        last, previous = sum(d <= 29 for d in wins), sum(30 <= d <= 59 for d in wins)
        trend["up" if last > previous else "down" if last < previous else "flat"] += 1
        buckets["0" if last == 0 else "1-2" if last <= 2 else "3-5" if last <= 5 else "6+"] += 1
    return {"clients": len(specs), "trend_30d": trend, "wins_last_30_days": buckets}


def expected(specs: list[dict]) -> dict:
    goals = [g for spec in specs for g in spec["goals"] if g["set"] <= 90]
    kinds = sorted({k for g in goals for k in g["kinds"]})
    decisions = [g["decision"] for spec in specs for g in spec["goals"] if "decision" in g]
    counts = {d: decisions.count(d) for d in ("keep", "tweak", "replace", "achieved", "dropped")}
    coaches = sorted({spec["coach"] for spec in specs})
    return {
        "goals": goal_figures(goals),
        "by_requirement_kind": [
            {"kind": k, **goal_figures([g for g in goals if k in g["kinds"]])} for k in kinds
        ],
        "by_template": [
            {"template_id": None, "template_version": None, "template_name": None}
            | goal_figures(goals)
        ]
        if goals
        else [],
        "reviews": {
            "decisions": len(decisions),
            "counts": counts,
            "rates": {
                d: round(n / len(decisions), 4) if decisions else None for d, n in counts.items()
            },
        },
        "momentum": momentum(specs),
        "attention": [
            {
                "coach_id": coach,
                "clients": sum(s["coach"] == coach for s in specs),
                "needing_attention": sum(s["coach"] == coach and needs_attention(s) for s in specs),
            }
            for coach in coaches
        ],
    }


def figures(answer: dict) -> dict:
    return {key: answer[key] for key in expected([]) if key in answer}


def test_the_insight_matches_the_figures_worked_out_from_the_seed(admin_a, seeded):
    answer = admin_a.get("/v1/insights", query_string=RANGE)
    assert answer.status_code == 200, answer.json
    assert answer.json["from"] == RANGE["from"] and answer.json["to"] == RANGE["to"]
    assert figures(answer.json) == expected(seeded)
    # The seed is varied enough for the comparison to mean something.
    assert answer.json["goals"]["stalled"] and answer.json["goals"]["achieved"]
    assert {row["needing_attention"] for row in answer.json["attention"]} != {0}


@pytest.mark.parametrize(
    "query, keep",
    [
        ({"coach_id": "coach-2"}, lambda s: s["coach"] == "coach-2"),
        ({"cohort": "2026-08"}, lambda s: s["cohort"] == "2026-08"),
        ({"cohort": "2025-01"}, lambda s: False),
    ],
)
def test_filters_narrow_every_figure_to_the_clients_they_name(admin_a, seeded, query, keep):
    answer = admin_a.get("/v1/insights", query_string={**RANGE, **query})
    assert answer.status_code == 200, answer.json
    assert figures(answer.json) == expected([s for s in seeded if keep(s)])


def test_a_range_that_ends_earlier_judges_as_of_its_end(admin_a, seeded):
    """Goals set after `to` are left out; achieved after `to` is not achieved yet."""
    end = TODAY - timedelta(days=45)
    answer = admin_a.get(
        "/v1/insights", query_string={"from": START.isoformat(), "to": end.isoformat()}
    ).json
    in_range = [g for s in seeded for g in s["goals"] if 45 <= g["set"] <= 90]
    assert answer["goals"]["goals"] == len(in_range)
    assert answer["goals"]["achieved"] == sum(
        g["achieved"] is not None and g["achieved"] >= 45 for g in in_range
    )


def test_a_coach_key_sees_its_own_clients_only_whatever_it_asks(admin_a, services, seeded):
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", coach_id="coach-1")
    )
    own = expected([s for s in seeded if s["coach"] == "coach-1"])
    for query in ({}, {"coach_id": "coach-2"}):
        answer = coach.get("/v1/insights", query_string={**RANGE, **query})
        assert answer.status_code == 200, answer.json
        assert figures(answer.json) == own
        assert answer.json["filters"]["coach_id"] == "coach-1"


def test_an_auditor_reads_the_organisation_and_another_organisation_sees_none_of_it(
    admin_a, admin_b, services, seeded
):
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    assert figures(auditor.get("/v1/insights", query_string=RANGE).json) == expected(seeded)
    other = admin_b.get("/v1/insights", query_string=RANGE)
    assert other.status_code == 200 and figures(other.json) == expected([])


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-11-27", "to": "2026-11-01"},
        {"cohort": "2026-13"},
        {"cohort": "August"},
        {"to": "yesterday"},
        {"stall_days": "0"},
        {"colour": "blue"},
    ],
)
def test_bad_parameters_are_a_422_problem(admin_a, query):
    assert_problem(admin_a.get("/v1/insights", query_string=query), 422, "validation_failed")


def test_a_forgotten_client_leaves_the_insight(admin_a, seeded):
    forgotten = seeded[1]
    assert admin_a.delete(f"/v1/clients/{forgotten['client_id']}").status_code == 200
    answer = admin_a.get("/v1/insights", query_string=RANGE).json
    assert figures(answer) == expected([s for s in seeded if s is not forgotten])
