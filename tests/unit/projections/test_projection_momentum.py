"""Momentum: weekly wins, streaks, habit strength (EMA), 30-day trend, stalled and overdue goals, confidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from projection_story import START, Story

from domain import commands as c
from projections.momentum import habit_strength, momentum, stalled, streak, trend

DAY0 = START.date()  # Monday of ISO week 2026-W02


def _wins_on(days: list[int]) -> Story:
    """A client with one completed milestone on each of the given days after enrolment."""
    s = Story().enrol()
    gid = s.goal(due_on=DAY0 + timedelta(days=300))
    for day in days:
        s.now = START + timedelta(days=day)
        s.milestone(gid, complete=True)
    return s


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (30, (1, 3)),  # week 4 has a win
        (35, (1, 3)),  # week 5 has none yet: the week in progress does not break the streak
        (42, (0, 3)),  # week 5 ended without a win
        (17, (3, 3)),  # as of week 2, later weeks do not count
    ],
)
def test_streaks_count_consecutive_iso_weeks_with_a_win(today, expected):
    view = _wins_on([0, 7, 14, 28]).view()
    assert streak(view["wins"], DAY0 + timedelta(days=today)) == expected


def test_habit_strength_is_an_ema_that_decays_smoothly():
    view = _wins_on([0, 8]).view()
    assert habit_strength(view, DAY0 + timedelta(days=15)) == pytest.approx(
        0.36
    )  # w0, w1; w2 in progress
    assert habit_strength(view, DAY0 + timedelta(days=22)) == pytest.approx(0.288)  # w2 missed
    # w2–w11 missed, w12 in progress
    assert habit_strength(view, DAY0 + timedelta(days=7 * 12)) == pytest.approx(
        0.36 * 0.8**10, abs=1e-4
    )


def test_weeks_list_the_recent_weeks_by_kind():
    result = momentum(_wins_on([0, 1, 7]).view(), DAY0 + timedelta(days=8), weeks=3)
    assert result["weeks"] == [
        {"week": "2026-W01", "milestones": 0, "goals": 0, "check_ins": 0, "total": 0},
        {"week": "2026-W02", "milestones": 2, "goals": 0, "check_ins": 0, "total": 2},
        {"week": "2026-W03", "milestones": 1, "goals": 0, "check_ins": 0, "total": 1},
    ]
    assert result["streak"] == {"current": 2, "longest": 2}


def test_thirty_day_trend_compares_with_the_thirty_days_before():
    view = _wins_on([0, 1, 40, 41, 42]).view()
    assert trend(view["win_days"], DAY0 + timedelta(days=45)) == {
        "last_30_days": 3,
        "previous_30_days": 2,
        "change": 0.5,
        "direction": "up",
    }
    assert trend(view["win_days"], DAY0 + timedelta(days=200))["direction"] == "flat"
    assert trend(view["win_days"], DAY0 + timedelta(days=75))["direction"] == "down"


def test_stalled_goals_exclude_paused_time_paused_goals_and_goals_not_started():
    s = Story().enrol()
    quiet = s.goal("quiet")
    backward = s.goal("backward")
    won = s.goal("won")
    paused = s.goal("paused")
    was_paused = s.goal("was-paused")
    s.goal("not-started", start_on=DAY0 + timedelta(days=30), due_on=DAY0 + timedelta(days=90))
    s.run(c.PauseGoal(goal_id=paused))
    s.run(c.PauseGoal(goal_id=was_paused))
    s.advance(days=10)
    s.run(c.ResumeGoal(goal_id=was_paused))
    s.milestone(won, complete=True)
    s.advance(days=10)
    s.check_in(backward, 0)  # not a win: the metric did not move
    view, today = s.view(), DAY0 + timedelta(days=25)
    assert [g["goal_id"] for g in stalled(view, today)] == [quiet, backward]
    assert stalled(view, today)[0]["quiet_days"] == 25
    assert stalled(view, today, stall_days=26) == []
    assert [g["goal_id"] for g in stalled(view, DAY0 + timedelta(days=31))] == [
        quiet,
        backward,
        won,
        was_paused,
    ]


def test_overdue_goals_are_active_and_past_due():
    s = Story().enrol()
    late = s.goal(due_on=DAY0 + timedelta(days=10))
    paused = s.goal(due_on=DAY0 + timedelta(days=10))
    done = s.goal(due_on=DAY0 + timedelta(days=10))
    s.goal(due_on=DAY0 + timedelta(days=25))
    s.run(c.PauseGoal(goal_id=paused))
    s.run(c.AchieveGoal(goal_id=done))
    result = momentum(s.view(), DAY0 + timedelta(days=25))
    assert result["overdue"] == [
        {
            "goal_id": late,
            "statement": "Complete a system design course",
            "due_on": (DAY0 + timedelta(days=10)).isoformat(),
            "days_overdue": 15,
        }
    ]


def test_confidence_trend_is_latest_against_the_mean_of_earlier_points():
    s = Story().enrol()
    falling = s.goal(confidence=7)
    rising = s.goal(confidence=5)
    s.check_in(falling, 1, confidence=6)
    s.check_in(rising, 1, confidence=6)
    s.advance(days=1)
    s.check_in(falling, 2, confidence=5)
    s.check_in(rising, 2, confidence=8)
    confidence = momentum(s.view(), s.today)["confidence"]
    assert confidence["goals"] == {
        falling: {"latest": 5, "delta": -1.5},
        rising: {"latest": 8, "delta": 2.5},
    }
    assert (confidence["overall_delta"], confidence["direction"]) == (0.5, "rising")
    s.run(c.DropGoal(goal_id=rising, reason="no longer relevant"))
    confidence = momentum(s.view(), s.today)["confidence"]
    assert (confidence["overall_delta"], confidence["direction"]) == (-1.5, "falling")


def test_a_new_client_has_no_momentum_yet():
    result = momentum(Story().enrol().view(), DAY0)
    assert result["streak"] == {"current": 0, "longest": 0} and result["habit_strength"] == 0.0
    assert result["trend_30d"]["direction"] == "flat" and result["last_win_at"] is None
