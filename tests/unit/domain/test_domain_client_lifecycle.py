"""A client's details, archiving and reactivation: what the plan records and what it refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.errors import (
    BlankText,
    ClientIsArchived,
    ClientNotArchived,
    ClientNotEnrolled,
    InvalidReviewCadence,
    InvalidTimezone,
    NothingChanged,
    OccurredBeforeLastChange,
)
from domain.events import ClientArchived, ClientDetailsChanged, ClientReactivated


def test_changing_details_records_only_the_fields_that_differ(harness):
    before = harness.plan.display_name
    [event] = harness.run(
        c.ChangeClientDetails(
            display_name=before, timezone="Pacific/Auckland", review_cadence_months=6
        )
    )
    assert event == ClientDetailsChanged(
        occurred_at=harness.now, timezone="Pacific/Auckland", review_cadence_months=6
    )
    assert harness.plan.display_name == before
    assert (harness.plan.timezone, harness.plan.review_cadence_months) == ("Pacific/Auckland", 6)


def test_a_new_display_name_is_personal_and_trimmed(harness):
    [event] = harness.run(c.ChangeClientDetails(display_name="  Ada King  "))
    assert event.display_name == "Ada King" and harness.plan.display_name == "Ada King"
    assert ClientDetailsChanged.personal == ("display_name",)


def test_a_longer_cadence_moves_the_next_review(harness):
    due = harness.plan.next_review_due()
    harness.run(c.ChangeClientDetails(review_cadence_months=6))
    assert harness.plan.next_review_due() > due


@pytest.mark.parametrize(
    "command",
    [
        c.ChangeClientDetails(),
        c.ChangeClientDetails(review_cadence_months=3),
    ],
)
def test_a_change_that_changes_nothing_is_refused(harness, command):
    harness.refuse(command, NothingChanged)


@pytest.mark.parametrize(
    "command, error",
    [
        (c.ChangeClientDetails(timezone="Mars/Olympus"), InvalidTimezone),
        (c.ChangeClientDetails(review_cadence_months=0), InvalidReviewCadence),
        (c.ChangeClientDetails(display_name="   "), BlankText),
    ],
)
def test_invalid_details_are_refused(harness, command, error):
    harness.refuse(command, error)


def test_nothing_is_changed_before_enrolment(empty):
    empty.refuse(c.ChangeClientDetails(timezone="UTC"), ClientNotEnrolled)
    empty.refuse(c.ArchiveClient(), ClientNotEnrolled)


def test_archiving_keeps_the_plan_and_marks_it_archived(harness):
    goals = dict(harness.plan.goals)
    [event] = harness.run(c.ArchiveClient(reason="  parental leave "))
    assert event == ClientArchived(occurred_at=harness.now, reason="parental leave")
    assert harness.plan.status == "archived" and harness.plan.archived_at == harness.now
    assert harness.plan.goals == goals


@pytest.mark.parametrize(
    "command",
    [
        c.ArchiveClient(),
        c.ChangeClientDetails(timezone="UTC"),
        c.ReassignCoach(coach_id="coach-9"),
        c.StartReview(review_id="r1"),
        c.RecordAlignmentCheck(check_id="a1"),
    ],
    ids=lambda command: type(command).__name__,
)
def test_an_archived_plan_refuses_every_command_but_reactivation(harness, command):
    harness.run(c.ArchiveClient())
    error = harness.refuse(command, ClientIsArchived, match="reactivate them")
    assert error.code == "client_archived"


def test_an_archived_plan_refuses_goal_commands_too(harness):
    goal_id = harness.set_goal()
    harness.run(c.ArchiveClient())
    harness.refuse(
        c.RecordCheckIn(goal_id=goal_id, check_in_id=new_id(), value=1, confidence=5),
        ClientIsArchived,
    )
    harness.refuse(c.AchieveGoal(goal_id=goal_id), ClientIsArchived)


def test_reactivating_makes_the_plan_take_commands_again(harness):
    harness.run(c.ArchiveClient())
    harness.advance(days=30)
    [event] = harness.run(c.ReactivateClient(reason="back from leave"))
    assert event == ClientReactivated(occurred_at=harness.now, reason="back from leave")
    assert harness.plan.status == "active" and harness.plan.archived_at is None
    harness.run(c.ChangeClientDetails(timezone="UTC"))


def test_only_an_archived_client_can_be_reactivated(harness):
    harness.refuse(c.ReactivateClient(), ClientNotArchived)


def test_reactivation_cannot_precede_the_archiving(harness):
    harness.advance(days=2)
    harness.run(c.ArchiveClient())
    earlier = harness.now - timedelta(days=1)
    harness.refuse(c.ReactivateClient(occurred_at=earlier), OccurredBeforeLastChange)
