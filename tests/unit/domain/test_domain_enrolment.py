"""Enrolment, coach reassignment, and refusing everything before enrolment."""

from __future__ import annotations

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.decide import decide
from domain.errors import (
    AlreadyEnrolled,
    BlankText,
    ClientNotEnrolled,
    InvalidReviewCadence,
    InvalidTimezone,
    NaiveDatetime,
    NothingChanged,
)
from domain.events import ClientEnrolled, CoachReassigned


def enrol_command(**overrides) -> c.EnrolClient:
    fields = dict(
        client_id=new_id(),
        organisation_id=new_id(),
        coach_id=new_id(),
        display_name="Ada Lovelace",
        timezone="America/New_York",
    )
    return c.EnrolClient(**{**fields, **overrides})


def test_enrolling_records_the_client_with_a_quarterly_cadence_by_default(empty):
    command = enrol_command()
    [event] = empty.run(command)
    assert isinstance(event, ClientEnrolled)
    assert event.occurred_at == empty.now
    plan = empty.plan
    assert (plan.client_id, plan.organisation_id, plan.coach_id) == (
        command.client_id,
        command.organisation_id,
        command.coach_id,
    )
    assert plan.timezone == "America/New_York" and plan.review_cadence_months == 3
    assert plan.is_enrolled and plan.version == 1
    assert plan.next_review_due() == empty.today.replace(month=4)


def test_enrolling_twice_is_refused(harness):
    harness.refuse(enrol_command(), AlreadyEnrolled)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "not a zone"])
def test_an_unknown_timezone_is_refused(empty, zone):
    empty.refuse(enrol_command(timezone=zone), InvalidTimezone)


@pytest.mark.parametrize("months", [0, 13, -3, True, 2.5])
def test_a_review_cadence_outside_1_to_12_months_is_refused(empty, months):
    empty.refuse(enrol_command(review_cadence_months=months), InvalidReviewCadence)


def test_a_blank_display_name_is_refused(empty):
    empty.refuse(enrol_command(display_name="  "), BlankText)


def test_deciding_with_a_naive_time_is_refused(empty):
    with pytest.raises(NaiveDatetime):
        decide(empty.plan, enrol_command(), empty.now.replace(tzinfo=None))


def test_reassigning_the_coach_records_old_and_new(harness):
    old_coach, new_coach = harness.plan.coach_id, new_id()
    [event] = harness.run(c.ReassignCoach(coach_id=new_coach))
    assert isinstance(event, CoachReassigned)
    assert (event.old_coach_id, event.new_coach_id) == (old_coach, new_coach)
    assert harness.plan.coach_id == new_coach


def test_reassigning_to_the_same_coach_is_refused(harness):
    harness.refuse(c.ReassignCoach(coach_id=harness.plan.coach_id), NothingChanged)


EVERY_OTHER_COMMAND = [
    c.ReassignCoach(coach_id="coach"),
    c.SetDestination(statement="Lead.", role="r", industry="i", impact="x", horizon=None),
    c.ReviseDestination(role="r"),
    c.AddRequirement(requirement_id="r", kind="skill", description="d"),
    c.ReviseRequirement(requirement_id="r", description="d"),
    c.RetireRequirement(requirement_id="r"),
    c.SetGoal(goal_id="g", terms=None),
    c.RefineGoal(goal_id="g", changes=None),
    c.PauseGoal(goal_id="g"),
    c.ResumeGoal(goal_id="g"),
    c.AchieveGoal(goal_id="g"),
    c.DropGoal(goal_id="g", reason="r"),
    c.ReplaceGoal(goal_id="g", replacement=None),
    c.ReopenGoal(goal_id="g", reason="r"),
    c.AddMilestone(goal_id="g", milestone_id="m", title="t", estimate_minutes=30),
    c.CompleteMilestone(goal_id="g", milestone_id="m"),
    c.ReopenMilestone(goal_id="g", milestone_id="m"),
    c.RemoveMilestone(goal_id="g", milestone_id="m"),
    c.RecordCheckIn(goal_id="g", check_in_id="k", confidence=5, value=1),
    c.StartReview(review_id="r"),
    c.RecordReviewDecision(review_id="r", goal_id="g", decision="keep"),
    c.CompleteReview(review_id="r"),
]


@pytest.mark.parametrize("command", EVERY_OTHER_COMMAND, ids=lambda command: type(command).__name__)
def test_every_other_command_is_refused_before_enrolment(empty, command):
    error = empty.refuse(command, ClientNotEnrolled)
    assert "enrol" in error.message
