"""The roadmap: timeframes (the seed's table), chain order, progress, pace and gaps."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from projection_story import Story, fold, stored_history

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from domain import commands as c
from domain.values import Contribution, Measure
from projections.roadmap import chain_order, pace, progress, roadmap

SEED_TABLE = {
    "system-design": "next 3 months",
    "lead-feature": "3–12 months",
    "mentor": "year 2",
    "initiative": "years 3–4",
}


@pytest.mark.parametrize(
    "today", [date(2026, 1, 5), date(2026, 1, 31), date(2025, 8, 31), date(2026, 12, 31)]
)
def test_the_seed_example_lands_in_the_seed_tables_timeframes(today):
    now = datetime.combine(today, datetime.min.time(), timezone.utc).replace(hour=12)
    view = fold(stored_history(seed_example_commands("c1", "o1", "k1", today), now, "c1"), "c1")
    plan = roadmap(view, today)
    placed = {
        goal["goal_id"]: frame["name"] for frame in plan["timeframes"] for goal in frame["goals"]
    }
    assert placed == {seed_id("c1", "goal", key): frame for key, frame in SEED_TABLE.items()}
    in_order = [goal["goal_id"] for frame in plan["timeframes"] for goal in frame["goals"]]
    assert in_order == [seed_id("c1", "goal", key) for key in GOAL_KEYS]
    assert [frame["name"] for frame in plan["timeframes"]][-1] == "later"
    assert plan["gaps"] == [] and plan["destination"]["role"] == "senior software engineer"
    first = plan["timeframes"][0]["goals"][0]
    assert (first["progress"], first["pace"], first["milestones"]) == (
        0.1,
        "on track",
        {"completed": 1, "total": 3},
    )
    assert first["serves"][0]["how_it_leads"].startswith("Builds technical depth")
    assert plan["timeframes"][1]["goals"][0]["pace"] == "not started"


def test_timeframes_move_as_today_moves():
    today = date(2026, 1, 5)
    now = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    view = fold(stored_history(seed_example_commands("c1", "o1", "k1", today), now, "c1"), "c1")
    later = roadmap(view, date(2026, 8, 1))
    names = {
        frame["name"]: [g["statement"][:6] for g in frame["goals"]] for frame in later["timeframes"]
    }
    assert names == {
        "next 3 months": ["Comple"],
        "3–12 months": ["Lead o"],
        "year 2": ["Mentor"],
        "years 3–4": ["Drive "],
        "later": [],
    }


def test_a_goal_is_placed_in_the_timeframe_in_which_it_is_due_not_where_it_starts():
    s = Story().enrol()
    year_long = s.goal("year", start_on=s.today, due_on=s.today + timedelta(days=360))
    quarter = s.goal("quarter", start_on=s.today, due_on=s.today + timedelta(days=80))
    placed = {
        g["goal_id"]: frame["name"]
        for frame in roadmap(s.view(), s.today)["timeframes"]
        for g in frame["goals"]
    }
    assert placed == {year_long: "3–12 months", quarter: "next 3 months"}


def test_a_goal_comes_after_the_goals_it_follows():
    s = Story().enrol()
    later = s.goal("a", start_on=s.today + timedelta(days=10), due_on=s.today + timedelta(days=60))
    s.goal("b", follows=(later,))
    s.goal("c", start_on=s.today + timedelta(days=5), due_on=s.today + timedelta(days=60))
    assert [g["goal_id"] for g in chain_order(list(s.view()["goals"].values()))] == ["c", "a", "b"]


def _goal(measure: dict, value, status: str = "active") -> dict:
    return {"measure": measure, "current_value": value, "status": status}


@pytest.mark.parametrize(
    ("measure", "value", "status", "expected"),
    [
        ({"baseline": 0, "target": 10}, 4, "active", 0.4),
        ({"baseline": 0, "target": 10}, 12, "active", 1.0),
        ({"baseline": 2, "target": 10}, 1, "active", 0.0),
        ({"baseline": 800, "target": 400}, 600, "active", 0.5),
        ({"baseline": None, "target": None}, None, "active", 0.0),
        ({"baseline": None, "target": None}, 1, "active", 1.0),
        ({"baseline": 0, "target": 10}, 3, "achieved", 1.0),
    ],
)
def test_progress_is_the_clamped_share_from_baseline_to_target(measure, value, status, expected):
    assert progress(_goal(measure, value, status)) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(5, "on track"), (4, "on track"), (3, "behind"), (2, "at risk")]
)
def test_pace_compares_progress_with_elapsed_time(value, expected):
    s = Story().enrol()
    gid = s.goal()  # 0 → 10 over 100 days
    s.advance(days=50)
    s.check_in(gid, value)
    assert pace(s.view()["goals"][gid], s.today) == expected


def test_pace_before_start_past_due_paused_and_achieved():
    s = Story().enrol()
    future = s.goal(start_on=s.today + timedelta(days=7), due_on=s.today + timedelta(days=60))
    paused = s.goal()
    done = s.goal()
    s.run(c.PauseGoal(goal_id=paused))
    s.run(c.AchieveGoal(goal_id=done))
    late = s.goal(due_on=s.today + timedelta(days=10))
    s.advance(days=11)
    s.check_in(late, 9)
    goals = s.view()["goals"]
    assert pace(goals[future], s.today - timedelta(days=11)) == "not started"
    assert [pace(goals[g], s.today) for g in (paused, done, late)] == [
        "paused",
        "achieved",
        "at risk",
    ]


def test_paused_time_is_excluded_from_pace():
    s = Story().enrol()
    gid = s.goal()  # 100 days
    s.run(c.PauseGoal(goal_id=gid))
    s.advance(days=40)
    s.run(c.ResumeGoal(goal_id=gid))
    s.advance(days=10)
    s.check_in(gid, 1)  # 10 % done after 10 active days of 100
    assert pace(s.view()["goals"][gid], s.today) == "on track"


def test_a_done_not_done_goal_is_paced_on_its_milestones():
    s = Story().enrol()
    gid = s.goal(measure=Measure.done("feature shipped"))
    s.milestone(gid, complete=True)
    s.milestone(gid)
    s.advance(days=50)
    assert pace(s.view()["goals"][gid], s.today) == "on track"
    s.advance(days=20)
    assert pace(s.view()["goals"][gid], s.today) == "behind"


def test_gaps_are_active_requirements_no_active_paused_or_achieved_goal_serves():
    s = Story().enrol(requirements=5)
    r = s.requirement_ids

    def serve(index):
        return (Contribution(r[index], "Leads there."),)

    s.goal(serves=serve(0))
    paused, achieved, dropped = (
        s.goal(serves=serve(1)),
        s.goal(serves=serve(2)),
        s.goal(serves=serve(3)),
    )
    s.run(c.PauseGoal(goal_id=paused))
    s.run(c.AchieveGoal(goal_id=achieved))
    s.run(c.DropGoal(goal_id=dropped, reason="no time"))
    s.run(c.RetireRequirement(requirement_id=r[4], reason="not needed"))
    plan = roadmap(s.view(), s.today)
    assert [gap["requirement_id"] for gap in plan["gaps"]] == [r[3]]
    assert [g["goal_id"] for g in plan["achieved"]] == [achieved]
