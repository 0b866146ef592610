"""The seed's client replayed over simulated weeks through HTTP alone: back-dated facts, and `today` on reads.

A coach back-fills a quarter of coaching notes: three weeks of milestone
wins build a streak, a quiet month makes the course goal stalled in an
alignment check run for that day, a quarterly review keeps, tweaks and
replaces, and the plan as on a past day shows that day's progress.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta, timezone

from conftest import NOW
from seed_over_http import seed_requests

from careerplan.seed_example import seed_id

ENROLLED = datetime.combine((NOW - timedelta(weeks=13)).date(), time(9), timezone.utc)


def day(weeks: float) -> datetime:
    """A moment `weeks` after the enrolment."""
    return ENROLLED + timedelta(weeks=weeks)


def test_a_quarter_back_filled_over_http_reads_as_it_was_lived(admin_a):
    client = str(uuid.uuid4())
    base = f"/v1/clients/{client}"
    for method, path, body in seed_requests(client, "coach-1", ENROLLED.date()):
        answer = admin_a.request(method, path, json={**body, "occurred_at": ENROLLED.isoformat()})
        assert answer.status_code in (200, 201), (path, answer.json)
    course = f"{base}/goals/{seed_id(client, 'goal', 'system-design')}"

    def post(path: str, body: dict, at: datetime):
        answer = admin_a.post(path, json={**body, "occurred_at": at.isoformat()})
        assert answer.status_code in (200, 201), (path, answer.json)
        return answer.json

    # Three consecutive weeks with a milestone win each (the seed's own win was in the enrolment week).
    post(f"{course}/milestones/{seed_id(client, 'milestone', 'sketch')}/complete", {}, day(1))
    post(f"{course}/milestones/{seed_id(client, 'milestone', 'trade-off')}/complete", {}, day(2))
    step = post(
        f"{course}/milestones",
        {"title": "Apply module 3 in the side project", "estimate_minutes": 60},
        day(2.5),
    )["milestone_id"]
    post(f"{course}/milestones/{step}/complete", {}, day(3))
    post(f"{course}/check-ins", {"value": 4, "confidence": 8, "note": "Module 4 done"}, day(3))
    momentum = admin_a.get(
        f"{base}/momentum", query_string={"today": day(3).date().isoformat()}
    ).json
    assert momentum["streak"]["current"] >= 3 and momentum["stalled"] == []

    # Then a quiet month: the check run for that day finds the course goal stalled.
    quiet = (day(3) + timedelta(weeks=4)).date()
    post(
        f"{course}/milestones",
        {"title": "Book the next module's evening", "estimate_minutes": 30},
        day(3.2),
    )
    check = admin_a.post(f"{base}/alignment-checks", json={"on": quiet.isoformat()})
    assert check.status_code == 201, check.json
    stalled = [f for f in check.json["findings"] if f["rule"] == "goal_stalled"]
    assert [f["goal_id"] for f in stalled] == [seed_id(client, "goal", "system-design")]
    momentum = admin_a.get(f"{base}/momentum", query_string={"today": quiet.isoformat()}).json
    assert [g["goal_id"] for g in momentum["stalled"]] == [seed_id(client, "goal", "system-design")]

    # The quarterly review, thirteen weeks in: keep, tweak and replace.
    review = post(f"{base}/reviews", {}, day(12.5))["review_id"]
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
        "start_on": (ENROLLED.date() + timedelta(days=730)).isoformat(),
        "due_on": (ENROLLED.date() + timedelta(days=900)).isoformat(),
        "follows": [seed_id(client, "goal", "mentor")],
    }
    decisions = [
        {
            "goal_id": seed_id(client, "goal", "system-design"),
            "decision": "tweak",
            "note": "Runs longer",
            "refinement": {"due_on": (ENROLLED.date() + timedelta(days=180)).isoformat()},
        },
        {"goal_id": seed_id(client, "goal", "lead-feature"), "decision": "keep"},
        {"goal_id": seed_id(client, "goal", "mentor"), "decision": "keep"},
        {
            "goal_id": seed_id(client, "goal", "initiative"),
            "decision": "replace",
            "replacement": replacement,
        },
    ]
    for decision in decisions:
        post(f"{base}/reviews/{review}/decisions", decision, day(12.6))
    post(f"{base}/reviews/{review}/complete", {"summary": "A good first quarter"}, day(12.7))
    plan = admin_a.get(base).json
    assert [d["decision"] for d in plan["reviews"][0]["decisions"]] == [
        "tweak",
        "keep",
        "keep",
        "replace",
    ]
    assert plan["last_review_completed_at"].startswith(day(12.7).date().isoformat())

    # The plan as on a past day shows that day's progress, though it was all recorded today.
    week_two = admin_a.get(f"{base}/as-of", query_string={"on": day(2).date().isoformat()}).json
    goal = next(
        g for g in week_two["goals"] if g["goal_id"] == seed_id(client, "goal", "system-design")
    )
    assert [m["status"] for m in goal["milestones"]].count(
        "completed"
    ) == 3  # the seed's, week 1, week 2
    assert goal["current_value"] == 1 and week_two["reviews"] == []
    now = admin_a.get(base).json
    assert next(g for g in now["goals"] if g["goal_id"] == goal["goal_id"])["current_value"] == 4
