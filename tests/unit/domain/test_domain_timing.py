"""Business time: a fact may be back-dated to when it happened, never into the future or before what it refers to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_harness import START, Harness, new_id

from domain import commands as c
from domain.errors import (
    OccurredBeforeEnrolment,
    OccurredBeforeGoal,
    OccurredBeforeLastChange,
    OccurredBeforeMilestone,
    OccurredBeforeReview,
    OccurredInFuture,
    StartTooEarly,
)
from domain.plan import CareerPlan


@pytest.fixture
def later(harness) -> Harness:
    """The ready plan, a goal with one milestone, and ten days on."""
    harness.goal_id = harness.set_goal()
    harness.milestone_id = new_id()
    harness.run(
        c.AddMilestone(
            goal_id=harness.goal_id,
            milestone_id=harness.milestone_id,
            title="Outline the course",
            estimate_minutes=45,
        )
    )
    harness.advance(days=10)
    return harness


def test_every_kind_of_fact_may_be_back_dated_and_its_event_says_when_it_happened(later):
    three_days_ago = later.now - timedelta(days=3)
    for command in (
        c.CompleteMilestone(
            goal_id=later.goal_id, milestone_id=later.milestone_id, occurred_at=three_days_ago
        ),
        c.PauseGoal(goal_id=later.goal_id, occurred_at=three_days_ago + timedelta(hours=1)),
        c.ResumeGoal(goal_id=later.goal_id, occurred_at=three_days_ago + timedelta(days=1)),
        c.AchieveGoal(goal_id=later.goal_id, occurred_at=three_days_ago + timedelta(days=2)),
    ):
        [event] = later.run(command)
        assert event.occurred_at == command.occurred_at
    goal = later.plan.goals[later.goal_id]
    assert goal.milestones[later.milestone_id].completed_at == three_days_ago
    assert goal.closed_at == three_days_ago + timedelta(days=2)


def test_a_moment_within_the_clock_skew_is_read_as_now_and_one_beyond_it_is_refused(later):
    [event] = later.run(
        c.PauseGoal(goal_id=later.goal_id, occurred_at=later.now + timedelta(minutes=4))
    )
    assert event.occurred_at == later.now
    later.refuse(
        c.ResumeGoal(goal_id=later.goal_id, occurred_at=later.now + timedelta(minutes=6)),
        OccurredInFuture,
        match="in the future",
    )


def test_nothing_can_happen_before_the_client_was_enrolled(later):
    before = START - timedelta(minutes=1)
    later.refuse(
        c.AddRequirement(
            requirement_id=new_id(), kind="skill", description="SQL", occurred_at=before
        ),
        OccurredBeforeEnrolment,
        match="before the client was enrolled",
    )


def test_a_fact_about_a_goal_set_after_enrolment_is_refused_before_the_goal_existed(harness):
    harness.advance(days=5)
    goal_id = harness.set_goal()
    harness.advance(days=5)
    harness.refuse(
        c.RecordCheckIn(
            goal_id=goal_id,
            check_in_id=new_id(),
            value=1,
            confidence=5,
            occurred_at=harness.now - timedelta(days=6),
        ),
        OccurredBeforeGoal,
        match="before goal .* was set",
    )


def test_a_milestone_is_completed_after_it_was_added_and_reopened_after_it_was_completed(harness):
    goal_id = harness.set_goal()
    harness.advance(days=4)
    milestone_id = new_id()
    harness.run(
        c.AddMilestone(
            goal_id=goal_id, milestone_id=milestone_id, title="Draft", estimate_minutes=30
        )
    )
    harness.advance(days=4)
    harness.refuse(
        c.CompleteMilestone(
            goal_id=goal_id, milestone_id=milestone_id, occurred_at=harness.now - timedelta(days=5)
        ),
        OccurredBeforeMilestone,
        match="'Draft' was added",
    )
    harness.run(
        c.CompleteMilestone(
            goal_id=goal_id, milestone_id=milestone_id, occurred_at=harness.now - timedelta(days=2)
        )
    )
    harness.refuse(
        c.ReopenMilestone(
            goal_id=goal_id, milestone_id=milestone_id, occurred_at=harness.now - timedelta(days=3)
        ),
        OccurredBeforeMilestone,
        match="was completed",
    )


def test_a_goal_changes_status_in_the_order_it_happened(later):
    later.run(c.PauseGoal(goal_id=later.goal_id, occurred_at=later.now - timedelta(days=2)))
    later.refuse(
        c.ResumeGoal(goal_id=later.goal_id, occurred_at=later.now - timedelta(days=3)),
        OccurredBeforeLastChange,
        match="last changed status",
    )
    later.refuse(
        c.DropGoal(
            goal_id=later.goal_id, reason="moved on", occurred_at=later.now - timedelta(days=3)
        ),
        OccurredBeforeLastChange,
    )


def test_a_review_is_decided_and_completed_after_it_started(later):
    later.run(c.StartReview(review_id="r1", occurred_at=later.now - timedelta(days=2)))
    later.refuse(
        c.RecordReviewDecision(
            review_id="r1",
            goal_id=later.goal_id,
            decision="keep",
            occurred_at=later.now - timedelta(days=3),
        ),
        OccurredBeforeReview,
        match="before review r1 started",
    )
    later.run(
        c.RecordReviewDecision(
            review_id="r1",
            goal_id=later.goal_id,
            decision="keep",
            occurred_at=later.now - timedelta(days=1),
        )
    )
    [event] = later.run(
        c.CompleteReview(review_id="r1", occurred_at=later.now - timedelta(hours=1))
    )
    assert event.occurred_at == later.now - timedelta(hours=1)


def test_a_goal_may_have_started_up_to_90_days_before_it_is_set(harness):
    harness.set_goal(start_on=harness.today - timedelta(days=90))
    harness.refuse(
        c.SetGoal(
            goal_id=new_id(), terms=harness.terms(start_on=harness.today - timedelta(days=91))
        ),
        StartTooEarly,
        match="on or after",
    )


def test_a_goal_set_as_of_a_past_day_is_judged_on_that_day(harness):
    harness.advance(days=200)
    day = harness.now - timedelta(days=150)
    terms = harness.terms(start_on=day.date(), due_on=day.date() + timedelta(days=60))
    [event] = harness.run(c.SetGoal(goal_id=new_id(), terms=terms, occurred_at=day))
    assert event.occurred_at == day


def test_the_plan_as_on_a_day_holds_only_what_had_happened_by_then(later):
    later.run(
        c.CompleteMilestone(
            goal_id=later.goal_id,
            milestone_id=later.milestone_id,
            occurred_at=later.now - timedelta(days=5),
        )
    )
    later.run(c.AchieveGoal(goal_id=later.goal_id))
    then = CareerPlan.replay_as_on(later.events, later.now - timedelta(days=6))
    goal = then.goals[later.goal_id]
    assert (goal.status, goal.milestones[later.milestone_id].status) == ("active", "open")
    middle = CareerPlan.replay_as_on(later.events, later.now - timedelta(days=1))
    assert middle.goals[later.goal_id].milestones[later.milestone_id].status == "completed"
    assert middle.goals[later.goal_id].status == "active"
    assert CareerPlan.replay_as_on(later.events, START - timedelta(seconds=1)).is_enrolled is False
    assert CareerPlan.replay_as_on(later.events, later.now) == later.plan
