"""The destination (1–2 sentences, future horizon) and its 5–10 requirements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_harness import new_id

from domain import commands as c
from domain.errors import (
    BlankText,
    DestinationAlreadySet,
    DestinationNotSet,
    HorizonNotInFuture,
    IdAlreadyUsed,
    InvalidValue,
    NothingChanged,
    RequirementNotActive,
    RequirementNotFound,
    StatementSentenceCount,
    TooManyRequirements,
    UnknownRequirementKind,
)
from domain.events import (
    DestinationRevised,
    DestinationSet,
    RequirementAdded,
    RequirementRetired,
    RequirementRevised,
)
from domain.values import Destination


@pytest.fixture
def enrolled(empty):
    empty.enrol()
    return empty


def destination(harness, **overrides) -> c.SetDestination:
    fields = dict(
        statement="Become a senior software engineer in 5 years. Be trusted with system design.",
        role="senior software engineer",
        industry="software",
        impact="reliable systems",
        horizon=harness.today + timedelta(days=5 * 365),
    )
    return c.SetDestination(**{**fields, **overrides})


def test_setting_the_destination_records_it(enrolled):
    [event] = enrolled.run(destination(enrolled, statement="  Become a staff engineer  "))
    assert isinstance(event, DestinationSet)
    assert enrolled.plan.destination == event.destination
    assert enrolled.plan.destination.statement == "Become a staff engineer"


@pytest.mark.parametrize("statement", ["...", "One. Two. Three.", "Lead! Ship? Teach."])
def test_a_statement_not_of_1_or_2_sentences_is_refused(enrolled, statement):
    enrolled.refuse(destination(enrolled, statement=statement), StatementSentenceCount)


def test_a_blank_statement_is_refused(enrolled):
    enrolled.refuse(destination(enrolled, statement=" "), BlankText)


@pytest.mark.parametrize("days", [0, -1])
def test_a_horizon_not_in_the_future_is_refused(enrolled, days):
    enrolled.refuse(
        destination(enrolled, horizon=enrolled.today + timedelta(days=days)), HorizonNotInFuture
    )


def test_a_horizon_that_is_not_a_calendar_date_is_refused(enrolled):
    enrolled.refuse(destination(enrolled, horizon=enrolled.now + timedelta(days=900)), InvalidValue)


@pytest.mark.parametrize("field", ["role", "industry", "impact"])
def test_role_industry_and_impact_are_required(enrolled, field):
    enrolled.refuse(destination(enrolled, **{field: ""}), BlankText)


def test_setting_the_destination_twice_is_refused(harness):
    harness.refuse(destination(harness), DestinationAlreadySet)


def test_revising_the_destination_records_old_and_new(harness):
    old = harness.plan.destination
    [event] = harness.run(c.ReviseDestination(impact="calmer on-call"))
    assert isinstance(event, DestinationRevised)
    assert event.old == old
    assert event.new == Destination(**{**old.__dict__, "impact": "calmer on-call"})
    assert harness.plan.destination.impact == "calmer on-call"


def test_a_revision_that_changes_nothing_is_refused(harness):
    harness.refuse(c.ReviseDestination(role=harness.plan.destination.role), NothingChanged)


def test_a_revised_horizon_must_be_in_the_future(harness):
    harness.refuse(
        c.ReviseDestination(horizon=harness.today - timedelta(days=1)), HorizonNotInFuture
    )


def test_revising_before_a_destination_is_set_is_refused(enrolled):
    enrolled.refuse(c.ReviseDestination(role="x"), DestinationNotSet)


def test_a_revised_statement_must_still_be_1_or_2_sentences(harness):
    harness.refuse(c.ReviseDestination(statement="A. B. C."), StatementSentenceCount)


# --- requirements -----------------------------------------------------------
def test_requirements_need_a_destination_first(enrolled):
    enrolled.refuse(
        c.AddRequirement(requirement_id=new_id(), kind="skill", description="SQL"),
        DestinationNotSet,
    )


def test_adding_a_requirement_records_it(enrolled):
    enrolled.set_destination()
    requirement_id = new_id()
    [event] = enrolled.run(
        c.AddRequirement(requirement_id=requirement_id, kind="credential", description=" AWS cert ")
    )
    assert isinstance(event, RequirementAdded)
    requirement = enrolled.plan.requirements[requirement_id]
    assert (requirement.kind, requirement.description, requirement.is_active) == (
        "credential",
        "AWS cert",
        True,
    )


def test_fewer_than_five_requirements_is_allowed_and_reported_as_drafting(enrolled):
    enrolled.set_destination()
    assert str(enrolled.plan.requirements_status) == "drafting: 0 of 5–10"
    enrolled.add_requirements(3)
    status = enrolled.plan.requirements_status
    assert (status.state, status.active, status.missing) == ("drafting", 3, 2)
    assert str(status) == "drafting: 3 of 5–10"
    enrolled.add_requirements(2)
    assert str(enrolled.plan.requirements_status) == "complete: 5 of 5–10"


def test_an_eleventh_active_requirement_is_refused(harness):
    harness.add_requirements(5)
    error = harness.refuse(
        c.AddRequirement(requirement_id=new_id(), kind="skill", description="Kotlin"),
        TooManyRequirements,
    )
    assert "retire one" in error.message


def test_retiring_one_makes_room_for_another(harness):
    harness.add_requirements(5)
    harness.run(
        c.RetireRequirement(requirement_id=harness.requirement_ids[0], reason="no longer relevant")
    )
    harness.run(c.AddRequirement(requirement_id=new_id(), kind="skill", description="Kotlin"))
    assert harness.plan.requirements_status.active == 10


def test_an_unknown_kind_is_refused(harness):
    harness.refuse(
        c.AddRequirement(requirement_id=new_id(), kind="hobby", description="x"),
        UnknownRequirementKind,
    )


def test_a_reused_requirement_id_is_refused(harness):
    harness.refuse(
        c.AddRequirement(requirement_id=harness.requirement_ids[0], kind="skill", description="x"),
        IdAlreadyUsed,
    )


def test_a_blank_description_is_refused(harness):
    harness.refuse(
        c.AddRequirement(requirement_id=new_id(), kind="skill", description=""), BlankText
    )


def test_revising_a_requirement_records_old_and_new(harness):
    requirement_id = harness.requirement_ids[0]
    [event] = harness.run(
        c.ReviseRequirement(
            requirement_id=requirement_id, kind="experience", description="Led a migration"
        )
    )
    assert isinstance(event, RequirementRevised)
    assert (event.old_kind, event.new_kind) == ("skill", "experience")
    assert (event.old_description, event.new_description) == ("Skill 0", "Led a migration")
    assert harness.plan.requirements[requirement_id].description == "Led a migration"


def test_a_revision_that_changes_nothing_in_a_requirement_is_refused(harness):
    harness.refuse(
        c.ReviseRequirement(requirement_id=harness.requirement_ids[0], description="Skill 0"),
        NothingChanged,
    )


def test_revising_an_unknown_requirement_is_refused(harness):
    harness.refuse(
        c.ReviseRequirement(requirement_id=new_id(), description="x"), RequirementNotFound
    )


def test_retiring_records_the_reason_and_a_retired_one_cannot_change(harness):
    requirement_id = harness.requirement_ids[0]
    [event] = harness.run(
        c.RetireRequirement(requirement_id=requirement_id, reason="covered elsewhere")
    )
    assert isinstance(event, RequirementRetired) and event.reason == "covered elsewhere"
    assert not harness.plan.requirements[requirement_id].is_active
    assert str(harness.plan.requirements_status) == "drafting: 4 of 5–10"
    harness.refuse(c.RetireRequirement(requirement_id=requirement_id), RequirementNotActive)
    harness.refuse(
        c.ReviseRequirement(requirement_id=requirement_id, description="x"), RequirementNotActive
    )


def test_requirements_no_open_goal_serves_are_reported_as_gaps(harness):
    assert harness.plan.uncovered_requirements() == harness.plan.active_requirements
    goal_id = harness.set_goal()
    assert [
        r.requirement_id for r in harness.plan.uncovered_requirements()
    ] == harness.requirement_ids[1:]
    harness.run(c.DropGoal(goal_id=goal_id, reason="x"))
    assert len(harness.plan.uncovered_requirements()) == 5
