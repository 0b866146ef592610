"""A client's digest from views the real domain built: wins, momentum series, findings, deadlines, next steps."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from digest_story import TODAY, seed_story
from projection_story import START, Story, every_event_story

from careerplan.seed_example import seed_id
from domain import commands as c
from projections.momentum import habit_strength
from services.digests import client_digest, period_for
from services.digests.wins import habit_series, wins_in

DAY0 = START.date()


@pytest.fixture(scope="module")
def seed():
    return seed_story()


def test_seed_digest_of_the_last_complete_week(seed):
    start, end, key = period_for("weekly", TODAY)
    digest = client_digest(seed.view(), TODAY, start, end)
    assert json.loads(json.dumps(digest)) == digest
    assert (digest["kind"], digest["as_of"], digest["period"]) == (
        "client",
        "2026-03-25",
        {"start": "2026-03-16", "end": "2026-03-22", "key": key},
    )
    assert key == "2026-W12"
    assert (
        digest["client"]["display_name"] == "Sam Example"
        and digest["client"]["coach_id"] == "coach-1"
    )
    assert digest["destination"]["horizon"] == "2031-01-05"
    wins = digest["wins"]
    assert (wins["total"], wins["milestones"], wins["goals"], wins["check_ins"]) == (3, 3, 0, 0)
    assert [item["label"] for item in wins["items"]] == [
        "Week 10 step 1",
        "Week 10 step 2",
        "Week 10 step 3",
    ]
    weeks = digest["momentum"]["weeks"]
    assert [week["total"] for week in weeks] == [2, 1, 2, 0, 1, 3, 0, 2, 1, 2, 3, 1]
    assert weeks[-1]["habit_strength"] == digest["momentum"]["habit_strength"]
    assert digest["findings"] == {"checked_at": None, "total": 0, "counts": {}, "items": []}
    goal = seed_id("client-1", "goal", "system-design")
    assert [(d["kind"], d["due_on"], d["days_left"]) for d in digest["deadlines"]] == [
        ("goal", "2026-04-05", 11),
        ("review", "2026-04-05", 11),
    ]
    assert [
        (g["goal_id"], [m["title"] for m in g["milestones"]]) for g in digest["next_milestones"]
    ] == [(goal, ["Write up one design trade-off from module 1"])]
    assert [(s["pace"], s["suggestion"]) for s in digest["suggestions"]] == [
        ("at risk", "tweak"),
        ("not started", "keep"),
        ("not started", "keep"),
        ("not started", "keep"),
    ]


def test_win_items_match_the_counted_wins_over_any_period():
    view = (
        every_event_story().view()
    )  # achieve + reopen, milestone reopened, corrected check-in, replaced goal
    wins = wins_in(view, DAY0 - timedelta(days=1), DAY0 + timedelta(days=400))
    assert wins["total"] == sum(view["win_days"].values()) == len(wins["items"])
    # the corrected check-in (3 → 2) still moved forward from 0; the reopened goal's achievement stays a win;
    # the completed-then-reopened milestone does not
    assert [(item["kind"], item["label"]) for item in wins["items"]] == [
        ("check_in", "modules completed: 2 modules"),
        ("goal", "goal achieved"),
    ]
    seed = seed_story().view()
    for start in range(0, 90, 9):
        first, last = DAY0 + timedelta(days=start), DAY0 + timedelta(days=start + 13)
        counted = sum(
            n for day, n in seed["win_days"].items() if first.isoformat() <= day <= last.isoformat()
        )
        assert wins_in(seed, first, last)["total"] == counted


def test_habit_series_is_the_momentum_ema_week_by_week(seed):
    view = seed.view()
    series = habit_series(view, TODAY)
    assert series[:5] == pytest.approx(
        [0.2, 0.36, 0.488, 0.3904, 0.5123], abs=1e-4
    )  # W05 had no win
    assert series[-1] == habit_strength(view, TODAY)
    assert habit_series(Story().view(), TODAY) == [0.0] * 12


def test_findings_are_read_defensively_most_severe_first(seed):
    view = seed.view()
    goal, requirement = (
        seed_id("client-1", "goal", "system-design"),
        seed_id("client-1", "requirement", "lead"),
    )
    view["alignment"] = {
        "checked_at": "2026-03-24T06:00:00+00:00",
        "findings": [
            {
                "rule": "no_open_milestone",
                "severity": "info",
                "suggested_action": "tweak",
                "goal_id": goal,
            },
            {
                "rule": "requirement_uncovered",
                "severity": "warning",
                "suggested_action": "add goal",
                "requirement_id": requirement,
                "message": "Nothing builds this yet: add a goal.",
            },
            "not a finding",
            {
                "rule": "goal_overdue",
                "severity": "critical",
                "suggested_action": "tweak",
                "goal_id": goal,
                "summary": "overdue",
            },
        ],
    }
    found = client_digest(view, TODAY, *period_for("weekly", TODAY)[:2])["findings"]
    assert found["checked_at"] == "2026-03-24T06:00:00+00:00"
    assert [f["rule"] for f in found["items"]] == [
        "goal_overdue",
        "requirement_uncovered",
        "no_open_milestone",
    ]
    assert found["items"][0]["goal"].startswith("Complete one advanced course")
    assert (
        found["items"][1]["requirement"].startswith("Has led features")
        and found["items"][1]["goal"] is None
    )
    view["alignment"] = None
    assert found["counts"] == {"info": 1, "warning": 1, "critical": 1} and found["total"] == 3
    view["alignment"] = None
    assert client_digest(view, TODAY, TODAY, TODAY)["findings"] == {
        "checked_at": None,
        "total": 0,
        "counts": {},
        "items": [],
    }


def test_findings_of_a_real_alignment_check_reach_the_digest_and_its_suggestions():
    story = seed_story()
    story.run(c.RecordAlignmentCheck(check_id="check-1"))
    digest = client_digest(story.view(), TODAY, *period_for("weekly", TODAY)[:2])
    goal = seed_id("client-1", "goal", "system-design")
    assert [
        (f["rule"], f["severity"], f["suggested_action"], f["goal_id"])
        for f in digest["findings"]["items"]
    ] == [("pace_at_risk", "warning", "tweak", goal)]
    assert (
        digest["findings"]["checked_at"] == story.now.isoformat()
        and digest["findings"]["total"] == 1
    )
    first = digest["suggestions"][0]
    assert (first["goal_id"], first["suggestion"]) == (goal, "tweak")
    assert first["reasons"] == [
        "re-alignment: pace at risk: 50% done, 88% expected",
        "pace: at risk",
    ]


def test_deadlines_include_overdue_and_paused_goals_and_skip_an_open_review():
    s = Story().enrol()
    overdue = s.goal(statement="Overdue", due_on=DAY0 + timedelta(days=10))
    paused = s.goal(statement="Paused", due_on=DAY0 + timedelta(days=40))
    s.goal(statement="Later", due_on=DAY0 + timedelta(days=60))
    s.run(c.PauseGoal(goal_id=paused))
    today = DAY0 + timedelta(days=20)
    digest = client_digest(s.view(), today, today, today)
    assert [(d["goal_id"], d["days_left"], d["status"]) for d in digest["deadlines"]] == [
        (overdue, -10, "active"),
        (paused, 20, "paused"),
    ]
    s.advance(days=75)

    def kinds() -> list[tuple[str, int]]:
        return [
            (d["kind"], d["days_left"])
            for d in client_digest(s.view(), s.today, s.today, s.today)["deadlines"]
        ]

    assert ("review", 15) in kinds()  # due 3 months after enrolment
    s.run(c.StartReview(review_id="r1"))
    assert [kind for kind, _ in kinds()] == [
        "goal",
        "goal",
        "goal",
    ]  # a review in progress is not a deadline


def test_next_milestones_are_quickest_first_a_few_per_goal_for_goals_starting_soon():
    s = Story().enrol()
    now, later, bare = (
        s.goal(),
        s.goal(start_on=DAY0 + timedelta(days=45)),
        s.goal(statement="No steps"),
    )
    for title, minutes in (("D", 60), ("A", 45), ("B", 30), ("C", 30)):
        s.run(
            c.AddMilestone(
                goal_id=now, milestone_id=f"m-{title}", title=title, estimate_minutes=minutes
            )
        )
    s.milestone(later)
    steps = client_digest(s.view(), DAY0, DAY0, DAY0)["next_milestones"]
    assert [
        (g["goal_id"], g["open_total"], [m["title"] for m in g["milestones"]]) for g in steps
    ] == [(now, 4, ["B", "C", "A"]), (bare, 0, [])]
    assert date.fromisoformat(steps[0]["start_on"]) == DAY0
