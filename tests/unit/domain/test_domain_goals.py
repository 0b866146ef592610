"""Setting SMART goals, chains, refinements and replacements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.errors import (
    BlankText,
    ChainCycle,
    ConfidenceOutOfRange,
    DestinationNotSet,
    DueBeyondTwoYears,
    DueInPast,
    DueNotAfterStart,
    DuplicateReference,
    FollowsDroppedGoal,
    GoalNotActive,
    GoalNotFound,
    GoalServesNothing,
    IdAlreadyUsed,
    InvalidMeasure,
    NothingChanged,
    RequirementNotActive,
    RequirementNotFound,
    TargetEqualsBaseline,
    UnknownGoalCategory,
)
from domain.events import GoalRefined, GoalReplaced, GoalSet
from domain.values import Contribution, FieldChange, Measure, TermsPatch


def test_setting_a_metric_goal_records_its_terms(harness):
    goal_id = new_id()
    [event] = harness.run(
        c.SetGoal(goal_id=goal_id, terms=harness.terms(statement=" Finish the course "))
    )
    assert isinstance(event, GoalSet) and event.replaces is None
    goal = harness.plan.goals[goal_id]
    assert goal.status == "active" and goal.lifecycle == 1
    assert goal.terms.statement == "Finish the course"
    assert goal.current_value == 0 and goal.current_confidence == 7


def test_setting_a_done_or_not_done_goal(harness):
    goal_id = harness.set_goal(measure=Measure.done("certificate received"))
    goal = harness.plan.goals[goal_id]
    assert goal.terms.measure.is_binary and goal.current_value is None


def test_goals_need_a_destination(empty):
    empty.enrol()
    empty.refuse(c.SetGoal(goal_id=new_id(), terms=None), DestinationNotSet)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        (dict(statement=""), BlankText),
        (dict(category="hobby"), UnknownGoalCategory),
        (dict(measure=Measure.metric("modules", 3, 3, "modules")), TargetEqualsBaseline),
        (dict(measure=Measure(name="modules", baseline=0)), InvalidMeasure),
        (dict(measure=Measure.metric("modules", 0, float("nan"), "modules")), InvalidMeasure),
        (dict(measure=Measure.done(" ")), BlankText),
        (dict(confidence=0), ConfidenceOutOfRange),
        (dict(confidence=11), ConfidenceOutOfRange),
        (dict(confidence=7.5), ConfidenceOutOfRange),
        (dict(serves=()), GoalServesNothing),
        (dict(serves=(Contribution("no-such-requirement", "x"),)), RequirementNotFound),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_goal_that_is_not_smart_is_refused(harness, overrides, error):
    harness.refuse(c.SetGoal(goal_id=new_id(), terms=harness.terms(**overrides)), error)


def test_each_requirement_served_needs_how_it_leads(harness):
    serves = (Contribution(harness.requirement_ids[0], "  "),)
    harness.refuse(c.SetGoal(goal_id=new_id(), terms=harness.terms(serves=serves)), BlankText)


def test_a_requirement_served_twice_is_refused(harness):
    twice = (
        Contribution(harness.requirement_ids[0], "a"),
        Contribution(harness.requirement_ids[0], "b"),
    )
    harness.refuse(
        c.SetGoal(goal_id=new_id(), terms=harness.terms(serves=twice)), DuplicateReference
    )


def test_a_goal_cannot_serve_a_retired_requirement(harness):
    harness.run(c.RetireRequirement(requirement_id=harness.requirement_ids[0]))
    harness.refuse(c.SetGoal(goal_id=new_id(), terms=harness.terms()), RequirementNotActive)


def test_due_must_be_after_start(harness):
    harness.refuse(
        c.SetGoal(goal_id=new_id(), terms=harness.terms(due_on=harness.today)), DueNotAfterStart
    )


def test_due_within_two_years_of_start(harness):
    start = harness.today + timedelta(days=30)
    limit = date(start.year + 2, start.month, start.day)
    harness.set_goal(start_on=start, due_on=limit)
    harness.refuse(
        c.SetGoal(
            goal_id=new_id(), terms=harness.terms(start_on=start, due_on=limit + timedelta(days=1))
        ),
        DueBeyondTwoYears,
    )


def test_due_in_the_past_is_refused_but_a_past_start_is_fine(harness):
    harness.set_goal(start_on=harness.today - timedelta(days=60), due_on=harness.today)
    terms = harness.terms(
        start_on=harness.today - timedelta(days=60), due_on=harness.today - timedelta(days=1)
    )
    harness.refuse(c.SetGoal(goal_id=new_id(), terms=terms), DueInPast)


def test_a_reused_goal_id_is_refused(harness):
    goal_id = harness.set_goal()
    harness.refuse(c.SetGoal(goal_id=goal_id, terms=harness.terms()), IdAlreadyUsed)


# --- chains -----------------------------------------------------------------
def test_a_goal_can_follow_earlier_goals(harness):
    first = harness.set_goal(statement="Lead a small project")
    second = harness.set_goal(statement="Get feedback", follows=(first,))
    third = harness.set_goal(statement="Lead a cross-functional project", follows=[second])
    assert harness.plan.goals[third].terms.follows == (second,)
    assert harness.plan.chain(third) == [second, first]


def test_following_an_unknown_goal_is_refused(harness):
    harness.refuse(
        c.SetGoal(goal_id=new_id(), terms=harness.terms(follows=(new_id(),))), GoalNotFound
    )


def test_following_a_goal_twice_is_refused(harness):
    first = harness.set_goal()
    harness.refuse(
        c.SetGoal(goal_id=new_id(), terms=harness.terms(follows=(first, first))), DuplicateReference
    )


def test_following_a_dropped_goal_is_refused_naming_both_goals(harness):
    mentor = harness.set_goal(statement="Mentor a junior")
    harness.run(c.DropGoal(goal_id=mentor, reason="no junior on the team"))
    lead_id = new_id()
    error = harness.refuse(
        c.SetGoal(
            goal_id=lead_id,
            terms=harness.terms(statement="Lead one feature end-to-end", follows=(mentor,)),
        ),
        FollowsDroppedGoal,
    )
    assert error.message == (
        f"goal 'Lead one feature end-to-end' (id {lead_id}) follows 'Mentor a junior' (id {mentor}), which was dropped"
    )


def test_a_goal_cannot_follow_itself(harness):
    goal_id = harness.set_goal()
    harness.refuse(
        c.RefineGoal(goal_id=goal_id, changes=TermsPatch(follows=(goal_id,))), ChainCycle
    )
    harness.refuse(
        c.SetGoal(goal_id=(new := new_id()), terms=harness.terms(follows=(new,))), ChainCycle
    )


def test_a_refinement_that_would_close_a_loop_is_refused(harness):
    first = harness.set_goal()
    second = harness.set_goal(follows=(first,))
    third = harness.set_goal(follows=(second,))
    error = harness.refuse(
        c.RefineGoal(goal_id=first, changes=TermsPatch(follows=(third,))), ChainCycle
    )
    assert "loop" in error.message


# --- refinements --------------------------------------------------------------
def test_refining_records_old_and_new_values_of_changed_fields_only(harness):
    goal_id = harness.set_goal()
    old_due = harness.plan.goals[goal_id].terms.due_on
    new_due = old_due + timedelta(days=30)
    [event] = harness.run(
        c.RefineGoal(
            goal_id=goal_id,
            changes=TermsPatch(
                due_on=new_due, confidence=7, category="skill", statement="Complete two courses"
            ),
        )
    )
    assert isinstance(event, GoalRefined)
    assert event.changes == (
        FieldChange("statement", "Complete a system design course", "Complete two courses"),
        FieldChange("due_on", old_due, new_due),
    )
    assert harness.plan.goals[goal_id].terms.due_on == new_due


def test_a_refinement_that_changes_nothing_is_refused(harness):
    goal_id = harness.set_goal()
    harness.refuse(c.RefineGoal(goal_id=goal_id, changes=TermsPatch()), NothingChanged)
    harness.refuse(c.RefineGoal(goal_id=goal_id, changes=TermsPatch(confidence=7)), NothingChanged)


def test_a_refinement_is_checked_like_a_new_goal(harness):
    goal_id = harness.set_goal()
    goal = harness.plan.goals[goal_id]
    harness.refuse(
        c.RefineGoal(goal_id=goal_id, changes=TermsPatch(confidence=0)), ConfidenceOutOfRange
    )
    harness.refuse(
        c.RefineGoal(goal_id=goal_id, changes=TermsPatch(due_on=goal.terms.start_on)),
        DueNotAfterStart,
    )
    harness.refuse(c.RefineGoal(goal_id=goal_id, changes=TermsPatch(serves=())), GoalServesNothing)


def test_a_goal_serving_a_retired_requirement_can_still_be_refined(harness):
    goal_id = harness.set_goal()
    harness.run(c.RetireRequirement(requirement_id=harness.requirement_ids[0]))
    harness.run(c.RefineGoal(goal_id=goal_id, changes=TermsPatch(confidence=4)))
    assert harness.plan.goals[goal_id].terms.confidence == 4


def test_refining_an_unknown_goal_is_refused(harness):
    harness.refuse(c.RefineGoal(goal_id=new_id(), changes=TermsPatch(confidence=3)), GoalNotFound)


def test_refining_a_closed_goal_is_refused(harness):
    goal_id = harness.set_goal()
    harness.run(c.AchieveGoal(goal_id=goal_id))
    harness.refuse(c.RefineGoal(goal_id=goal_id, changes=TermsPatch(confidence=3)), GoalNotActive)


# --- replacements -----------------------------------------------------------
def test_replacing_sets_the_new_goal_and_links_both_ways(harness):
    old = harness.set_goal()
    new = new_id()
    events = harness.run(
        c.ReplaceGoal(
            goal_id=old,
            reason="the course was cancelled",
            replacement=c.SetGoal(goal_id=new, terms=harness.terms(statement="Read DDIA")),
        )
    )
    assert [type(event) for event in events] == [GoalSet, GoalReplaced]
    assert events[0].replaces == old and events[1].replaced_by == new
    assert (
        harness.plan.goals[old].status == "replaced" and harness.plan.goals[old].replaced_by == new
    )
    assert harness.plan.goals[new].replaces == old and harness.plan.goals[new].status == "active"


def test_a_replacement_is_all_or_nothing(harness):
    old = harness.set_goal()
    bad = c.SetGoal(goal_id=new_id(), terms=harness.terms(confidence=0))
    harness.refuse(c.ReplaceGoal(goal_id=old, replacement=bad), ConfidenceOutOfRange)
    harness.refuse(
        c.ReplaceGoal(goal_id=old, replacement=c.SetGoal(goal_id=old, terms=harness.terms())),
        IdAlreadyUsed,
    )


def test_a_replaced_goal_cannot_be_replaced_again(harness):
    old = harness.set_goal()
    harness.run(
        c.ReplaceGoal(goal_id=old, replacement=c.SetGoal(goal_id=new_id(), terms=harness.terms()))
    )
    harness.refuse(
        c.ReplaceGoal(goal_id=old, replacement=c.SetGoal(goal_id=new_id(), terms=harness.terms())),
        GoalNotActive,
        match="replaced by",
    )
