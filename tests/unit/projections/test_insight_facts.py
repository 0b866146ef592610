"""The insight state and its fact rows, from raw events: templates, decisions, goals, kinds, wins."""

from __future__ import annotations

import uuid
from datetime import date

from projection_story import START

from eventstore import StoredEvent
from projections import insight_facts

CLIENT = "client-1"


def raw(type_: str, version: int, **data) -> StoredEvent:
    return StoredEvent(
        position=version,
        tx_id=version,
        stream_id=f"client-{CLIENT}",
        stream_version=version,
        event_id=uuid.uuid4(),
        type=type_,
        schema_version=1,
        data={"occurred_at": START.isoformat(), **data},
        metadata={},
        recorded_at=START,
    )


def terms(**changes) -> dict:
    return {
        "statement": "Lead a small project",
        "category": "experience",
        "measure": {"name": "done", "baseline": None, "target": None, "unit": None},
        "confidence": 6,
        "serves": [
            {"requirement_id": "r-1", "how_it_leads": "x"},
            {"requirement_id": "r-2", "how_it_leads": "y"},
        ],
        "follows": [],
        "start_on": "2026-01-05",
        "due_on": "2026-06-30",
        **changes,
    }


def story() -> dict:
    state = insight_facts.new_state(CLIENT)
    events = [
        raw(
            "ClientEnrolled",
            1,
            organisation_id="org-a",
            coach_id="coach-1",
            display_name="Sam",
            timezone="UTC",
            review_cadence_months=3,
        ),
        raw("RequirementAdded", 2, requirement_id="r-1", kind="skill", description="d"),
        raw("RequirementAdded", 3, requirement_id="r-2", kind="experience", description="d"),
        raw("GoalSet", 4, goal_id="g-1", terms=terms()),
        raw(
            "GoalSet",
            5,
            goal_id="g-2",
            terms=terms(serves=[{"requirement_id": "r-1", "how_it_leads": "z"}]),
        ),
        raw(
            "TemplateApplied",
            6,
            template_id="tpl-9",
            template_version=2,
            template_name="First-time manager",
            requirement_ids=["r-1", "r-2"],
            goal_ids=["g-1"],
        ),
        raw("GoalAchieved", 7, goal_id="g-1", occurred_at="2026-02-04T10:00:00+00:00"),
        raw("ReviewStarted", 8, review_id="rv-1", goal_ids=["g-2"]),
        raw("ReviewDecisionRecorded", 9, review_id="rv-1", goal_id="g-2", decision="keep"),
        raw("CoachReassigned", 10, old_coach_id="coach-1", new_coach_id="coach-2"),
    ]
    for event in events:
        insight_facts.apply(state, event)
    return state


def test_a_template_applied_marks_the_goals_it_lists_and_the_client():
    facts = insight_facts.facts(story())
    goals = {row["goal_id"]: row for row in facts["goals"]}
    assert (goals["g-1"]["template_id"], goals["g-1"]["template_version"]) == ("tpl-9", 2)
    assert goals["g-1"]["template_name"] == "First-time manager"
    assert goals["g-2"]["template_id"] is None
    assert facts["clients"][0]["template_id"] == "tpl-9"


def test_goal_rows_hold_days_status_and_the_kinds_served():
    facts = insight_facts.facts(story())
    g1 = next(row for row in facts["goals"] if row["goal_id"] == "g-1")
    assert g1["status"] == "achieved"
    assert g1["closed_day"] - g1["set_day"] == (date(2026, 2, 4) - START.date()).days
    assert sorted((r["goal_id"], r["kind"]) for r in facts["goal_kinds"]) == [
        ("g-1", "experience"),
        ("g-1", "skill"),
        ("g-2", "skill"),
    ]
    assert facts["win_days"] == [
        {
            "client_id": CLIENT,
            "organisation_id": "org-a",
            "day": date(2026, 2, 4).toordinal(),
            "wins": 1,
        }
    ]


def test_every_row_follows_the_coach_a_client_was_reassigned_to():
    facts = insight_facts.facts(story())
    for role in ("clients", "goals", "decisions"):
        assert {row["coach_id"] for row in facts[role]} == {"coach-2"}, role
    assert facts["clients"][0]["cohort"] == START.isoformat()[:7]


def test_a_decision_is_kept_after_its_review_completes():
    state = story()
    insight_facts.apply(state, raw("ReviewCompleted", 11, review_id="rv-1", summary=""))
    [decision] = insight_facts.facts(state)["decisions"]
    assert (decision["review_id"], decision["goal_id"], decision["decision"]) == (
        "rv-1",
        "g-2",
        "keep",
    )
    assert decision["day"] == START.date().toordinal()


def test_a_client_not_enrolled_yet_has_no_rows():
    assert insight_facts.facts(insight_facts.new_state(CLIENT)) is None
