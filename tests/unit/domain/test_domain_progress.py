"""Micro-milestones and append-only check-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.errors import (
    BlankText,
    CheckInNotFound,
    CheckInValueInvalid,
    CheckInValueRequired,
    ConfidenceOutOfRange,
    GoalNotActive,
    GoalNotFound,
    IdAlreadyUsed,
    MilestoneEstimateOutOfRange,
    MilestoneNotCompleted,
    MilestoneNotFound,
    MilestoneNotOpen,
    NaiveDatetime,
    OccurredInFuture,
)
from domain.events import (
    CheckInRecorded,
    MilestoneAdded,
    MilestoneCompleted,
    MilestoneRemoved,
    MilestoneReopened,
)
from domain.values import Measure


def add_milestone(harness, goal_id, minutes=45) -> str:
    milestone_id = new_id()
    harness.run(
        c.AddMilestone(
            goal_id=goal_id,
            milestone_id=milestone_id,
            title="Message one mentor",
            estimate_minutes=minutes,
        )
    )
    return milestone_id


@pytest.mark.parametrize("minutes", [15, 30, 60, 120])
def test_a_milestone_of_15_to_120_minutes_is_added(harness, minutes):
    goal_id = harness.set_goal()
    milestone_id = add_milestone(harness, goal_id, minutes)
    assert isinstance(harness.events[-1], MilestoneAdded)
    milestone = harness.plan.goals[goal_id].milestones[milestone_id]
    assert (milestone.status, milestone.estimate_minutes) == ("open", minutes)


@pytest.mark.parametrize("minutes", [14, 121, 0, -30, 45.5, True])
def test_a_milestone_estimate_outside_15_to_120_minutes_is_refused(harness, minutes):
    goal_id = harness.set_goal()
    harness.refuse(
        c.AddMilestone(
            goal_id=goal_id, milestone_id=new_id(), title="Rewrite the CV", estimate_minutes=minutes
        ),
        MilestoneEstimateOutOfRange,
        match="30–60 minutes",
    )


def test_a_milestone_needs_a_title_an_unused_id_and_an_open_goal(harness):
    goal_id = harness.set_goal()
    harness.refuse(
        c.AddMilestone(goal_id=goal_id, milestone_id=new_id(), title="", estimate_minutes=30),
        BlankText,
    )
    used = add_milestone(harness, goal_id)
    harness.refuse(
        c.AddMilestone(goal_id=goal_id, milestone_id=used, title="x", estimate_minutes=30),
        IdAlreadyUsed,
    )
    harness.refuse(
        c.AddMilestone(goal_id=new_id(), milestone_id=new_id(), title="x", estimate_minutes=30),
        GoalNotFound,
    )
    harness.run(c.AchieveGoal(goal_id=goal_id))
    harness.refuse(
        c.AddMilestone(goal_id=goal_id, milestone_id=new_id(), title="x", estimate_minutes=30),
        GoalNotActive,
    )


def test_completing_reopening_and_removing_a_milestone(harness):
    goal_id = harness.set_goal()
    milestone_id = add_milestone(harness, goal_id)
    milestone = harness.plan.goals[goal_id].milestones[milestone_id]
    assert isinstance(
        harness.run(c.CompleteMilestone(goal_id=goal_id, milestone_id=milestone_id))[0],
        MilestoneCompleted,
    )
    assert (milestone.status, milestone.completed_at) == ("completed", harness.now)
    harness.refuse(
        c.CompleteMilestone(goal_id=goal_id, milestone_id=milestone_id), MilestoneNotOpen
    )
    assert isinstance(
        harness.run(c.ReopenMilestone(goal_id=goal_id, milestone_id=milestone_id))[0],
        MilestoneReopened,
    )
    assert (milestone.status, milestone.completed_at) == ("open", None)
    harness.refuse(
        c.ReopenMilestone(goal_id=goal_id, milestone_id=milestone_id), MilestoneNotCompleted
    )
    assert isinstance(
        harness.run(c.RemoveMilestone(goal_id=goal_id, milestone_id=milestone_id))[0],
        MilestoneRemoved,
    )
    assert milestone.status == "removed"


@pytest.mark.parametrize("command", [c.CompleteMilestone, c.ReopenMilestone, c.RemoveMilestone])
def test_unknown_or_removed_milestones_are_refused(harness, command):
    goal_id = harness.set_goal()
    harness.refuse(command(goal_id=goal_id, milestone_id=new_id()), MilestoneNotFound)
    removed = add_milestone(harness, goal_id)
    harness.run(c.RemoveMilestone(goal_id=goal_id, milestone_id=removed))
    harness.refuse(command(goal_id=goal_id, milestone_id=removed), MilestoneNotFound)


# --- check-ins ----------------------------------------------------------------
def check_in(goal_id, value=None, confidence=6, **fields) -> c.RecordCheckIn:
    return c.RecordCheckIn(
        goal_id=goal_id,
        check_in_id=fields.pop("check_in_id", new_id()),
        value=value,
        confidence=confidence,
        **fields,
    )


def test_a_check_in_records_value_confidence_and_note(harness):
    goal_id = harness.set_goal()
    [event] = harness.run(check_in(goal_id, 3, 8, note=" module 3 done "))
    assert (
        isinstance(event, CheckInRecorded)
        and event.occurred_at == harness.now
        and event.note == "module 3 done"
    )
    goal = harness.plan.goals[goal_id]
    assert (goal.current_value, goal.current_confidence) == (3, 8)


def test_a_metric_goal_needs_a_value_and_a_binary_goal_does_not(harness):
    metric_goal = harness.set_goal()
    harness.refuse(check_in(metric_goal), CheckInValueRequired)
    harness.refuse(check_in(metric_goal, float("inf")), CheckInValueInvalid)
    binary_goal = harness.set_goal(measure=Measure.done("certificate received"))
    harness.run(check_in(binary_goal, note="booked the exam"))
    assert harness.plan.goals[binary_goal].current_value is None
    harness.run(check_in(binary_goal, 1))
    assert harness.plan.goals[binary_goal].current_value == 1
    harness.refuse(check_in(binary_goal, 0.5), CheckInValueInvalid)


@pytest.mark.parametrize("confidence", [0, 11, None])
def test_check_in_confidence_is_1_to_10(harness, confidence):
    harness.refuse(check_in(harness.set_goal(), 1, confidence), ConfidenceOutOfRange)


def test_a_check_in_may_be_backdated_but_not_future_dated(harness):
    goal_id = harness.set_goal()
    harness.advance(days=2)
    yesterday = harness.now - timedelta(days=1)
    [event] = harness.run(check_in(goal_id, 2, occurred_at=yesterday))
    assert event.occurred_at == yesterday
    harness.refuse(
        check_in(goal_id, 2, occurred_at=harness.now + timedelta(minutes=6)), OccurredInFuture
    )
    harness.refuse(check_in(goal_id, 2, occurred_at=yesterday.replace(tzinfo=None)), NaiveDatetime)


def test_the_current_value_is_the_latest_by_when_it_occurred(harness):
    goal_id = harness.set_goal()
    harness.advance(days=8)
    harness.run(check_in(goal_id, 5, 7))
    harness.run(check_in(goal_id, 2, 4, occurred_at=harness.now - timedelta(days=7)))
    goal = harness.plan.goals[goal_id]
    assert [item.value for item in goal.effective_check_ins()] == [2, 5]
    assert (goal.current_value, goal.current_confidence) == (5, 7)


def test_a_correction_replaces_the_value_of_the_check_in_it_corrects(harness):
    goal_id = harness.set_goal()
    harness.advance(days=3)
    first = new_id()
    harness.run(
        check_in(goal_id, 5, 7, check_in_id=first, occurred_at=harness.now - timedelta(days=2))
    )
    harness.run(check_in(goal_id, 6, 7, occurred_at=harness.now - timedelta(days=1)))
    correction = new_id()
    harness.run(
        check_in(goal_id, 4, 6, check_in_id=correction, corrects=first, note="typo: it was 4")
    )
    harness.run(check_in(goal_id, 3, 5, corrects=correction))
    goal = harness.plan.goals[goal_id]
    assert len(goal.check_ins) == 4
    effective = goal.effective_check_ins()
    assert [(item.check_in_id, item.value) for item in effective] == [
        (first, 3),
        (effective[1].check_in_id, 6),
    ]
    assert goal.current_value == 6
    assert effective[0].corrected_by is not None


def test_a_correction_must_name_a_check_in_of_the_same_goal(harness):
    goal_id, other = harness.set_goal(), harness.set_goal()
    other_check_in = new_id()
    harness.run(check_in(other, 1, check_in_id=other_check_in))
    harness.refuse(check_in(goal_id, 2, corrects=other_check_in), CheckInNotFound)


def test_check_in_ids_are_not_reused_and_closed_goals_take_no_check_ins(harness):
    goal_id = harness.set_goal()
    used = new_id()
    harness.run(check_in(goal_id, 1, check_in_id=used))
    harness.refuse(check_in(goal_id, 2, check_in_id=used), IdAlreadyUsed)
    harness.run(c.DropGoal(goal_id=goal_id, reason="x"))
    harness.refuse(check_in(goal_id, 2), GoalNotActive)
