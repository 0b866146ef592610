"""The quarterly review: frozen goal set, one decision per goal, completion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.errors import (
    DecisionDetailsMismatch,
    GoalAlreadyDecided,
    GoalNotFound,
    GoalNotInReview,
    GoalUnderReview,
    IdAlreadyUsed,
    NothingChanged,
    ReviewAlreadyOpen,
    ReviewHasUndecidedGoals,
    ReviewNotFound,
    ReviewNotOpen,
    UnknownReviewDecision,
)
from domain.events import (
    GoalAchieved,
    GoalDropped,
    GoalRefined,
    GoalReplaced,
    GoalSet,
    ReviewCompleted,
    ReviewDecisionRecorded,
    ReviewStarted,
)
from domain.values import TermsPatch


@pytest.fixture
def reviewing(harness):
    """Goals a (active), b (paused), c (achieved); review r started."""
    harness.goal_a = harness.set_goal(statement="Goal A")
    harness.goal_b = harness.set_goal(statement="Goal B")
    harness.goal_c = harness.set_goal(statement="Goal C")
    harness.run(c.PauseGoal(goal_id=harness.goal_b))
    harness.run(c.AchieveGoal(goal_id=harness.goal_c))
    harness.review_id = new_id()
    harness.run(c.StartReview(review_id=harness.review_id))
    return harness


def decide_goal(harness, goal_id, decision, **details) -> list:
    return harness.run(
        c.RecordReviewDecision(
            review_id=harness.review_id, goal_id=goal_id, decision=decision, **details
        )
    )


def test_starting_a_review_freezes_the_active_and_paused_goals(reviewing):
    event = reviewing.events[-1]
    assert isinstance(event, ReviewStarted)
    assert event.goal_ids == (reviewing.goal_a, reviewing.goal_b)
    review = reviewing.plan.open_review
    assert review.review_id == reviewing.review_id and review.undecided == event.goal_ids


def test_only_one_review_is_open_at_a_time(reviewing):
    reviewing.refuse(c.StartReview(review_id=new_id()), ReviewAlreadyOpen)
    reviewing.refuse(c.StartReview(review_id=reviewing.review_id), IdAlreadyUsed)


def test_goals_set_after_the_start_are_not_part_of_the_review(reviewing):
    later = reviewing.set_goal(statement="Goal D")
    reviewing.refuse(
        c.RecordReviewDecision(review_id=reviewing.review_id, goal_id=later, decision="keep"),
        GoalNotInReview,
        match="next review",
    )
    reviewing.refuse(
        c.RecordReviewDecision(
            review_id=reviewing.review_id, goal_id=reviewing.goal_c, decision="keep"
        ),
        GoalNotInReview,
    )
    reviewing.run(c.PauseGoal(goal_id=later))


def test_frozen_goals_change_only_through_a_decision(reviewing):
    for command in (
        c.AchieveGoal(goal_id=reviewing.goal_a),
        c.PauseGoal(goal_id=reviewing.goal_a),
        c.ResumeGoal(goal_id=reviewing.goal_b),
        c.DropGoal(goal_id=reviewing.goal_a, reason="x"),
        c.RefineGoal(goal_id=reviewing.goal_a, changes=TermsPatch(confidence=2)),
    ):
        reviewing.refuse(command, GoalUnderReview, match="record a review decision")
    decide_goal(reviewing, reviewing.goal_a, "keep")
    reviewing.run(c.PauseGoal(goal_id=reviewing.goal_a))


def test_keep_records_only_the_decision(reviewing):
    [event] = decide_goal(reviewing, reviewing.goal_b, "keep", note="still the right goal")
    assert isinstance(event, ReviewDecisionRecorded) and event.decision == "keep"
    assert reviewing.plan.goals[reviewing.goal_b].status == "paused"
    assert reviewing.plan.open_review.decisions[reviewing.goal_b].note == "still the right goal"


def test_tweak_also_refines_the_goal(reviewing):
    events = decide_goal(reviewing, reviewing.goal_a, "tweak", refinement=TermsPatch(confidence=3))
    assert [type(event) for event in events] == [ReviewDecisionRecorded, GoalRefined]
    assert reviewing.plan.goals[reviewing.goal_a].terms.confidence == 3


def test_a_tweak_that_changes_nothing_is_refused_whole(reviewing):
    reviewing.refuse(
        c.RecordReviewDecision(
            review_id=reviewing.review_id,
            goal_id=reviewing.goal_a,
            decision="tweak",
            refinement=TermsPatch(confidence=7),
        ),
        NothingChanged,
    )


def test_replace_also_sets_the_new_goal_and_links_both_ways(reviewing):
    new = new_id()
    events = decide_goal(
        reviewing,
        reviewing.goal_a,
        "replace",
        note="a better course exists",
        replacement=c.SetGoal(goal_id=new, terms=reviewing.terms(statement="Goal A2")),
    )
    assert [type(event) for event in events] == [ReviewDecisionRecorded, GoalSet, GoalReplaced]
    assert events[0].replacement_goal_id == new
    assert reviewing.plan.goals[reviewing.goal_a].replaced_by == new
    assert reviewing.plan.goals[new].replaces == reviewing.goal_a
    assert new not in reviewing.plan.open_review.goal_ids


def test_achieved_and_dropped_close_the_goal(reviewing):
    assert [type(e) for e in decide_goal(reviewing, reviewing.goal_a, "achieved")] == [
        ReviewDecisionRecorded,
        GoalAchieved,
    ]
    assert [
        type(e) for e in decide_goal(reviewing, reviewing.goal_b, "dropped", note="no budget")
    ] == [ReviewDecisionRecorded, GoalDropped]
    assert reviewing.plan.goals[reviewing.goal_b].close_note == "no budget"


@pytest.mark.parametrize(
    ("decision", "details"),
    [
        ("tweak", {}),
        ("replace", {}),
        ("dropped", {}),
        ("keep", {"refinement": TermsPatch(confidence=2)}),
        ("achieved", {"replacement": c.SetGoal(goal_id="x", terms=None)}),
    ],
)
def test_a_decision_with_missing_or_unexpected_details_is_refused(reviewing, decision, details):
    reviewing.refuse(
        c.RecordReviewDecision(
            review_id=reviewing.review_id, goal_id=reviewing.goal_a, decision=decision, **details
        ),
        DecisionDetailsMismatch,
    )


def test_an_unknown_decision_is_refused(reviewing):
    reviewing.refuse(
        c.RecordReviewDecision(
            review_id=reviewing.review_id, goal_id=reviewing.goal_a, decision="maybe"
        ),
        UnknownReviewDecision,
    )


def test_deciding_a_goal_twice_is_refused(reviewing):
    decide_goal(reviewing, reviewing.goal_a, "keep")
    reviewing.refuse(
        c.RecordReviewDecision(
            review_id=reviewing.review_id, goal_id=reviewing.goal_a, decision="keep"
        ),
        GoalAlreadyDecided,
    )


def test_unknown_reviews_and_goals_are_refused(reviewing):
    reviewing.refuse(
        c.RecordReviewDecision(review_id=new_id(), goal_id=reviewing.goal_a, decision="keep"),
        ReviewNotFound,
    )
    reviewing.refuse(
        c.RecordReviewDecision(review_id=reviewing.review_id, goal_id=new_id(), decision="keep"),
        GoalNotFound,
    )
    reviewing.refuse(c.CompleteReview(review_id=new_id()), ReviewNotFound)


def test_a_review_cannot_complete_with_an_undecided_goal(reviewing):
    decide_goal(reviewing, reviewing.goal_a, "keep")
    error = reviewing.refuse(
        c.CompleteReview(review_id=reviewing.review_id), ReviewHasUndecidedGoals
    )
    assert "Goal B" in error.message and "Goal A" not in error.message


def test_completing_the_review_records_when_so_the_next_one_falls_due(reviewing):
    decide_goal(reviewing, reviewing.goal_a, "keep")
    decide_goal(reviewing, reviewing.goal_b, "keep")
    reviewing.advance(days=1)
    [event] = reviewing.run(
        c.CompleteReview(review_id=reviewing.review_id, summary="steady quarter")
    )
    assert isinstance(event, ReviewCompleted)
    plan = reviewing.plan
    assert plan.open_review is None and plan.last_review_completed_at == reviewing.now
    assert plan.reviews[reviewing.review_id].summary == "steady quarter"
    assert plan.next_review_due() == date(2026, 4, 16)
    reviewing.refuse(c.CompleteReview(review_id=reviewing.review_id), ReviewNotOpen)
    reviewing.refuse(
        c.RecordReviewDecision(
            review_id=reviewing.review_id, goal_id=reviewing.goal_a, decision="keep"
        ),
        ReviewNotOpen,
    )
    reviewing.run(c.StartReview(review_id=new_id()))


def test_a_review_with_no_open_goals_completes_at_once(harness):
    review_id = new_id()
    harness.run(c.StartReview(review_id=review_id))
    harness.run(c.CompleteReview(review_id=review_id))
    assert harness.plan.last_review_completed_at == harness.now
    assert harness.plan.next_review_due() == harness.today + timedelta(days=90)
