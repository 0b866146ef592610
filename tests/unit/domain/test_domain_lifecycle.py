"""A goal's status machine: pause, resume, achieve, drop, reopen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.errors import BlankText, GoalNotActive, GoalNotClosed, GoalNotFound, GoalNotPaused
from domain.events import GoalAchieved, GoalDropped, GoalPaused, GoalReopened, GoalResumed
from domain.goal_formulas import paused_days


def test_pausing_and_resuming_keeps_the_pause_intervals(harness):
    goal_id = harness.set_goal()
    [paused] = harness.run(c.PauseGoal(goal_id=goal_id, reason="parental leave"))
    assert isinstance(paused, GoalPaused) and paused.reason == "parental leave"
    goal = harness.plan.goals[goal_id]
    assert goal.status == "paused" and goal.is_open
    harness.advance(days=10)
    assert paused_days(goal.pause_spans, goal.set_at, harness.now) == 10
    [resumed] = harness.run(c.ResumeGoal(goal_id=goal_id))
    assert isinstance(resumed, GoalResumed)
    harness.advance(days=5)
    assert goal.status == "active"
    assert goal.pause_spans == [(paused.occurred_at, resumed.occurred_at)]
    assert paused_days(goal.pause_spans, goal.set_at, harness.now) == 10
    assert paused_days(goal.pause_spans, goal.set_at, paused.occurred_at + timedelta(days=3)) == 3


def test_pausing_a_paused_goal_and_resuming_an_active_one_are_refused(harness):
    goal_id = harness.set_goal()
    harness.refuse(c.ResumeGoal(goal_id=goal_id), GoalNotPaused)
    harness.run(c.PauseGoal(goal_id=goal_id))
    harness.refuse(c.PauseGoal(goal_id=goal_id), GoalNotActive, match="already paused")


@pytest.mark.parametrize("start", ["active", "paused"])
def test_an_open_goal_can_be_achieved(harness, start):
    goal_id = harness.set_goal()
    if start == "paused":
        harness.run(c.PauseGoal(goal_id=goal_id))
    [event] = harness.run(c.AchieveGoal(goal_id=goal_id, note="certificate in hand"))
    assert isinstance(event, GoalAchieved)
    goal = harness.plan.goals[goal_id]
    assert (goal.status, goal.closed_at, goal.close_note) == (
        "achieved",
        harness.now,
        "certificate in hand",
    )
    assert all(pause.ended_at is not None for pause in goal.pauses)


def test_dropping_needs_a_reason(harness):
    goal_id = harness.set_goal()
    harness.refuse(c.DropGoal(goal_id=goal_id, reason=" "), BlankText)
    [event] = harness.run(c.DropGoal(goal_id=goal_id, reason="changed teams"))
    assert isinstance(event, GoalDropped)
    assert harness.plan.goals[goal_id].status == "dropped"


@pytest.mark.parametrize("closing", ["achieve", "drop"])
@pytest.mark.parametrize("command", ["pause", "resume", "achieve", "drop"])
def test_a_closed_goal_cannot_change_status_until_reopened(harness, closing, command):
    goal_id = harness.set_goal()
    close = (
        c.AchieveGoal(goal_id=goal_id)
        if closing == "achieve"
        else c.DropGoal(goal_id=goal_id, reason="x")
    )
    harness.run(close)
    commands = {
        "pause": c.PauseGoal(goal_id=goal_id),
        "resume": c.ResumeGoal(goal_id=goal_id),
        "achieve": c.AchieveGoal(goal_id=goal_id),
        "drop": c.DropGoal(goal_id=goal_id, reason="y"),
    }
    harness.refuse(commands[command], GoalNotActive, match="reopen it first")


def test_reopening_starts_a_new_lifecycle_and_keeps_history(harness):
    goal_id = harness.set_goal()
    harness.run(c.AchieveGoal(goal_id=goal_id, note="passed"))
    achieved_at = harness.now
    harness.advance(days=3)
    [event] = harness.run(c.ReopenGoal(goal_id=goal_id, reason="the exam result was withdrawn"))
    assert isinstance(event, GoalReopened) and event.lifecycle == 2
    goal = harness.plan.goals[goal_id]
    assert (goal.status, goal.lifecycle, goal.closed_at) == ("active", 2, None)
    assert [
        (life.number, life.outcome, life.closed_at, life.note) for life in goal.past_lifecycles
    ] == [(1, "achieved", achieved_at, "passed")]
    harness.run(c.DropGoal(goal_id=goal_id, reason="no longer needed"))
    harness.run(c.ReopenGoal(goal_id=goal_id, reason="needed after all"))
    assert goal.lifecycle == 3 and [life.outcome for life in goal.past_lifecycles] == [
        "achieved",
        "dropped",
    ]


def test_reopening_needs_a_reason(harness):
    goal_id = harness.set_goal()
    harness.run(c.AchieveGoal(goal_id=goal_id))
    harness.refuse(c.ReopenGoal(goal_id=goal_id, reason=""), BlankText)


def test_only_achieved_or_dropped_goals_reopen(harness):
    goal_id = harness.set_goal()
    harness.refuse(c.ReopenGoal(goal_id=goal_id, reason="x"), GoalNotClosed)
    harness.run(c.PauseGoal(goal_id=goal_id))
    harness.refuse(c.ReopenGoal(goal_id=goal_id, reason="x"), GoalNotClosed)
    successor = new_id()
    harness.run(
        c.ReplaceGoal(
            goal_id=goal_id, replacement=c.SetGoal(goal_id=successor, terms=harness.terms())
        )
    )
    harness.refuse(c.ReopenGoal(goal_id=goal_id, reason="x"), GoalNotClosed, match=successor)


@pytest.mark.parametrize("command", [c.PauseGoal, c.ResumeGoal, c.AchieveGoal])
def test_status_changes_of_unknown_goals_are_refused(harness, command):
    harness.refuse(command(goal_id=new_id()), GoalNotFound)
