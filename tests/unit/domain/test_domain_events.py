"""Events as data: exact round trips, JSON safety, and upcasting old schema versions."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from plan_harness import Harness, new_id

from domain import commands as c
from domain.events import EVENT_TYPES, Event, GoalSet, event_from_data, event_to_data
from domain.pivots import ProposedRequirement
from domain.plan import CareerPlan
from domain.templates import body_from_data, checked_body
from domain.upcasters import UPCASTERS, upcast, upcast_versioned
from domain.values import Contribution, GoalTerms, Measure, TermsPatch


def seed_template():
    """The demo's template body, checked."""
    from careerplan.seed_template import seed_template_body

    return checked_body(body_from_data(seed_template_body()))


def every_kind_of_event() -> list[Event]:
    """A history that holds at least one event of every type."""
    h = Harness()
    h.enrol()
    h.run(c.ReassignCoach(coach_id=new_id()))
    h.run(c.ChangeClientDetails(display_name="Ada L.", timezone="Europe/Paris"))
    h.run(c.ArchiveClient(reason="on leave"))
    h.run(c.ReactivateClient())
    h.set_destination()
    h.run(c.ReviseDestination(horizon=h.today + timedelta(days=4000)))
    h.add_requirements(6)
    h.run(c.ReviseRequirement(requirement_id=h.requirement_ids[5], kind="credential"))
    h.run(c.RetireRequirement(requirement_id=h.requirement_ids[5], reason="merged"))
    first = h.set_goal()
    binary = h.set_goal(measure=Measure.done("talk given"), follows=(first,))
    h.run(
        c.RefineGoal(
            goal_id=first,
            changes=TermsPatch(
                measure=Measure.metric("modules", 0, 12, "modules"),
                follows=(),
                due_on=h.today + timedelta(days=100),
            ),
        )
    )
    h.run(c.PauseGoal(goal_id=first))
    h.run(c.ResumeGoal(goal_id=first))
    h.run(c.AchieveGoal(goal_id=first, note="done"))
    h.run(c.ReopenGoal(goal_id=first, reason="not really"))
    h.run(c.AddMilestone(goal_id=first, milestone_id="m1", title="Outline", estimate_minutes=30))
    h.run(c.CompleteMilestone(goal_id=first, milestone_id="m1"))
    h.run(c.ReopenMilestone(goal_id=first, milestone_id="m1"))
    h.run(c.RemoveMilestone(goal_id=first, milestone_id="m1"))
    h.advance(hours=4)
    h.run(
        c.RecordCheckIn(
            goal_id=first,
            check_in_id="k1",
            value=2.5,
            confidence=6,
            occurred_at=h.now - timedelta(hours=3, microseconds=7),
        )
    )
    h.run(c.RecordCheckIn(goal_id=first, check_in_id="k2", value=3, confidence=6, corrects="k1"))
    h.run(c.RecordCheckIn(goal_id=binary, check_in_id="k3", confidence=6))
    h.run(c.StartReview(review_id="r1"))
    h.run(
        c.RecordReviewDecision(
            review_id="r1", goal_id=first, decision="dropped", note="changed jobs"
        )
    )
    h.run(
        c.RecordReviewDecision(
            review_id="r1",
            goal_id=binary,
            decision="replace",
            replacement=c.SetGoal(goal_id="g3", terms=h.terms()),
        )
    )
    h.run(c.CompleteReview(review_id="r1"))
    h.run(
        c.StartPivot(
            pivot_id="p1",
            statement="Become a product manager.",
            role="product manager",
            industry="software",
            impact="products people love",
            horizon=h.today + timedelta(days=1000),
            requirements=(ProposedRequirement("n1", "skill", "Runs discovery interviews"),),
        )
    )
    h.run(c.AbandonPivot(pivot_id="p1", reason="not now"))
    h.run(c.ReviseDestination(role="product manager", pivot_id="p2"))
    h.run(c.RecordPivotDecision(pivot_id="p2", goal_id="g3", decision="keep"))
    for requirement_id in h.plan.pivots["p2"].requirement_ids:
        h.run(c.RecordPivotDecision(pivot_id="p2", requirement_id=requirement_id, decision="keep"))
    h.run(c.CompletePivot(pivot_id="p2", summary="a PM plan"))
    h.advance(days=40)
    h.run(
        c.RecordAlignmentCheck(
            check_id="a1", policy={"stall_days": 30, "disabled_rules": ["review_due"]}
        )
    )
    h.run(c.RecordNudge(day=h.today, policy={"enabled": True, "quiet_days": 7}))
    h.run(
        c.ApplyTemplate(
            template_id=new_id(),
            template_version=1,
            template_name="Senior software engineer in 5 years",
            body=seed_template(),
            requirement_keys=("design",),
            goal_keys=(),
        )
    )
    return h.events


EVENTS = every_kind_of_event()


def test_the_history_covers_every_event_type():
    assert {type(event).__name__ for event in EVENTS} == set(EVENT_TYPES)
    (check,) = [event for event in EVENTS if type(event).__name__ == "AlignmentChecked"]
    assert check.findings, "the alignment check round-trips real findings"


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: type(event).__name__)
def test_every_event_round_trips_exactly_through_json(event):
    data = json.loads(json.dumps(event_to_data(event)))
    assert event_from_data(type(event).__name__, data) == event
    assert type(event).__name__ not in json.dumps(data)


def test_replaying_the_stored_form_gives_the_same_plan():
    in_memory = CareerPlan.replay(EVENTS)
    stored = [(type(e).__name__, e.schema_version, json.dumps(event_to_data(e))) for e in EVENTS]
    replayed = CareerPlan.replay(
        event_from_data(name, upcast(name, v, json.loads(text))) for name, v, text in stored
    )
    assert replayed == in_memory and replayed.version == len(EVENTS)


def test_events_are_immutable():
    with pytest.raises(AttributeError):
        EVENTS[0].occurred_at = datetime.now(timezone.utc)


def test_unknown_fields_are_refused_rather_than_dropped():
    data = event_to_data(EVENTS[0]) | {"surprise": 1}
    with pytest.raises(ValueError, match="surprise"):
        event_from_data("ClientEnrolled", data)


# --- upcasting --------------------------------------------------------------
GOAL_SET_V1 = {
    "occurred_at": "2024-03-01T09:30:00+00:00",
    "goal_id": "g-1",
    "statement": "Complete an advanced system design course",
    "category": "skill",
    "metric_name": "modules completed",
    "baseline": 0,
    "target": 10,
    "unit": "modules",
    "confidence": 7,
    "serves": [{"requirement_id": "r-1", "how_it_leads": "Builds technical depth."}],
    "start_on": "2024-03-01",
    "due_on": "2024-06-01",
}


def test_a_version_1_goal_set_loads_as_the_current_version():
    assert GoalSet.schema_version == 2 and ("GoalSet", 1) in UPCASTERS
    version, data = upcast_versioned("GoalSet", 1, json.loads(json.dumps(GOAL_SET_V1)))
    assert version == 2
    event = event_from_data("GoalSet", data)
    assert event == GoalSet(
        occurred_at=datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc),
        goal_id="g-1",
        terms=GoalTerms(
            statement="Complete an advanced system design course",
            category="skill",
            measure=Measure.metric("modules completed", 0, 10, "modules"),
            confidence=7,
            serves=(Contribution("r-1", "Builds technical depth."),),
            start_on=date(2024, 3, 1),
            due_on=date(2024, 6, 1),
            follows=(),
        ),
        replaces=None,
    )


def test_current_data_and_unknown_types_pass_through():
    data = event_to_data(EVENTS[0])
    assert upcast("ClientEnrolled", 1, data) == data
    assert upcast_versioned("SomethingElseHappened", 4, {"x": 1}) == (4, {"x": 1})


def test_a_version_newer_than_the_code_is_refused():
    with pytest.raises(ValueError, match="v3"):
        upcast("GoalSet", 3, {})
