"""Career pivots: a review of the plan against a new destination, no new goals while it is open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_harness import Harness, new_id

from domain import commands as c
from domain.errors import (
    AlreadyDecidedInPivot,
    DecisionDetailsMismatch,
    DestinationChangeIsPivot,
    GoalInPivot,
    NotAPivot,
    PivotAlreadyOpen,
    PivotDecisionSubject,
    PivotHasUndecided,
    PivotNotOpen,
    PivotOpen,
    ProposedRequirementTaken,
    RequirementInPivot,
    ReviewAlreadyOpen,
    UnknownPivotDecision,
)
from domain.events import (
    DestinationRevised,
    GoalReplaced,
    GoalSet,
    PivotAbandoned,
    PivotCompleted,
    PivotDecisionRecorded,
    PivotStarted,
    RequirementAdded,
    RequirementRetired,
    RequirementRevised,
)
from domain.pivots import CarriedRequirement, ProposedRequirement
from domain.plan import CareerPlan
from domain.values import Contribution, TermsPatch

CURRENT = (
    ("skill", "Designs reliable systems"),
    ("experience", "Has led features end-to-end"),
    ("relationship", "Trusted by product and operations partners"),
)
PROPOSED = (
    ("experience", "Has led features end-to-end"),
    ("relationship", "Trusted by engineering and operations partners"),
    ("skill", "Runs customer discovery interviews"),
)


@pytest.fixture
def pivoting() -> Harness:
    """A software engineer's plan (3 requirements, goals on each) with pivot p to product management open."""
    h = Harness()
    h.enrol()
    h.set_destination()
    for kind, description in CURRENT:
        h.requirement_ids.append(new_id())
        h.run(
            c.AddRequirement(
                requirement_id=h.requirement_ids[-1], kind=kind, description=description
            )
        )
    design, lead, partners = h.requirement_ids
    h.design_goal = h.set_goal(statement="System design course")
    h.lead_goal = h.set_goal(
        statement="Lead a feature",
        serves=(Contribution(lead, "Ownership."), Contribution(partners, "Cross-team work.")),
    )
    h.proposed = tuple(ProposedRequirement(new_id(), k, d) for k, d in PROPOSED)
    h.pivot_id = new_id()
    h.advance(hours=1)
    h.run(start(h, h.pivot_id))
    return h


def start(h: Harness, pivot_id: str, **overrides) -> c.StartPivot:
    fields = dict(
        pivot_id=pivot_id,
        statement="Become a product manager in 3 years.",
        role="product manager",
        industry="software",
        impact="products customers love",
        horizon=h.today.replace(year=h.today.year + 3),
        requirements=h.proposed,
    )
    return c.StartPivot(**{**fields, **overrides})


def decide(h: Harness, decision: str, **subject) -> list:
    return h.run(c.RecordPivotDecision(pivot_id=h.pivot_id, decision=decision, **subject))


def test_starting_a_pivot_freezes_goals_and_requirements_and_lists_the_carry_over(pivoting):
    [event] = pivoting.events[-1:]
    assert isinstance(event, PivotStarted)
    design, lead, partners = pivoting.requirement_ids
    new_lead, new_partners, discovery = (p.requirement_id for p in pivoting.proposed)
    assert event.goal_ids == (pivoting.design_goal, pivoting.lead_goal)
    assert event.requirement_ids == (design, lead, partners)
    assert event.carried == (
        CarriedRequirement(lead, new_lead, "same"),
        CarriedRequirement(partners, new_partners, "similar"),
    )
    assert event.stranded_goal_ids == (pivoting.design_goal,)
    assert event.uncovered_requirement_ids == (discovery,)
    assert pivoting.plan.destination.role == "senior software engineer"


def test_no_new_goal_review_reopening_or_second_pivot_while_a_pivot_is_open(pivoting):
    pivoting.refuse(
        c.SetGoal(goal_id=new_id(), terms=pivoting.terms()),
        PivotOpen,
        match="before setting new goals",
    )
    pivoting.refuse(c.StartReview(review_id=new_id()), PivotOpen)
    pivoting.refuse(start(pivoting, new_id(), requirements=()), PivotAlreadyOpen)
    pivoting.refuse(c.ReviseDestination(impact="x"), PivotOpen)


def test_a_frozen_goal_or_requirement_changes_only_by_a_pivot_decision(pivoting):
    pivoting.refuse(c.DropGoal(goal_id=pivoting.design_goal, reason="x"), GoalInPivot)
    pivoting.refuse(
        c.ReplaceGoal(
            goal_id=pivoting.design_goal,
            replacement=c.SetGoal(goal_id=new_id(), terms=pivoting.terms()),
        ),
        PivotOpen,
    )
    pivoting.refuse(
        c.RetireRequirement(requirement_id=pivoting.requirement_ids[0]), RequirementInPivot
    )


def test_check_ins_and_milestones_still_count_during_a_pivot(pivoting):
    pivoting.run(
        c.RecordCheckIn(goal_id=pivoting.lead_goal, check_in_id="k1", value=1, confidence=7)
    )
    pivoting.run(
        c.AddMilestone(
            goal_id=pivoting.lead_goal, milestone_id="m", title="Ask", estimate_minutes=30
        )
    )
    pivoting.run(c.CompleteMilestone(goal_id=pivoting.lead_goal, milestone_id="m"))
    assert pivoting.plan.goals[pivoting.lead_goal].last_win_at == pivoting.now


def test_a_pivot_needs_a_new_role_or_industry(harness):
    harness.proposed = ()
    harness.refuse(start(harness, new_id(), role="senior software engineer"), NotAPivot)


def test_a_review_open_blocks_a_pivot(harness):
    harness.run(c.StartReview(review_id=new_id()))
    harness.proposed = ()
    harness.refuse(start(harness, new_id()), ReviewAlreadyOpen)


def test_revising_the_role_opens_a_pivot_and_a_plain_revision_stays_one(harness):
    harness.refuse(c.ReviseDestination(role="data lead"), DestinationChangeIsPivot)
    [revised] = harness.run(c.ReviseDestination(impact="calmer on-call"))
    assert isinstance(revised, DestinationRevised)
    pivot_id = new_id()
    [event] = harness.run(c.ReviseDestination(industry="health care", pivot_id=pivot_id))
    assert isinstance(event, PivotStarted) and event.new.industry == "health care"
    assert event.proposed == () and len(event.requirement_ids) == 5
    assert harness.plan.destination.industry == "software"
    assert harness.plan.open_pivot_id == pivot_id


def test_goal_decisions_record_their_consequences(pivoting):
    refuse_detail = c.RecordPivotDecision(
        pivot_id=pivoting.pivot_id, goal_id=pivoting.design_goal, decision="drop"
    )
    pivoting.refuse(refuse_detail, DecisionDetailsMismatch, match="note")
    discovery = pivoting.proposed[2].requirement_id
    replacement = c.SetGoal(
        goal_id=new_id(),
        terms=pivoting.terms(
            statement="Run 10 customer interviews", serves=(Contribution(discovery, "Discovery."),)
        ),
    )
    events = decide(
        pivoting, "replace", goal_id=pivoting.design_goal, replacement=replacement, note="pivot"
    )
    assert [type(e) for e in events] == [
        PivotDecisionRecorded,
        RequirementAdded,
        GoalSet,
        GoalReplaced,
    ]
    assert events[1].requirement_id == discovery
    pivoting.refuse(
        c.RecordPivotDecision(
            pivot_id=pivoting.pivot_id, goal_id=pivoting.design_goal, decision="keep"
        ),
        AlreadyDecidedInPivot,
    )
    [_, refined] = decide(
        pivoting,
        "tweak",
        goal_id=pivoting.lead_goal,
        refinement=TermsPatch(statement="Lead a product feature"),
    )
    assert pivoting.plan.goals[pivoting.lead_goal].terms.statement == "Lead a product feature"


def test_requirement_decisions_keep_reword_replace_or_retire(pivoting):
    design, lead, partners = pivoting.requirement_ids
    new_lead, new_partners, discovery = (p.requirement_id for p in pivoting.proposed)
    [kept] = decide(pivoting, "keep", requirement_id=lead)
    assert kept.becomes == new_lead
    [_, revised] = decide(pivoting, "tweak", requirement_id=partners)
    assert isinstance(revised, RequirementRevised) and "engineering" in revised.new_description
    pivoting.refuse(
        c.RecordPivotDecision(pivot_id=pivoting.pivot_id, requirement_id=design, decision="tweak"),
        DecisionDetailsMismatch,
        match="becomes",
    )
    pivoting.refuse(
        c.RecordPivotDecision(
            pivot_id=pivoting.pivot_id, requirement_id=design, decision="replace", becomes=new_lead
        ),
        ProposedRequirementTaken,
    )
    events = decide(
        pivoting, "replace", requirement_id=design, becomes=discovery, note="a PM discovers"
    )
    assert [type(e) for e in events] == [
        PivotDecisionRecorded,
        RequirementRetired,
        RequirementAdded,
    ]
    assert (
        pivoting.plan.requirements[discovery].is_active
        and not pivoting.plan.requirements[design].is_active
    )


def test_bad_decisions_are_refused(pivoting):
    pid = pivoting.pivot_id
    pivoting.refuse(
        c.RecordPivotDecision(pivot_id=pid, decision="achieved", goal_id=pivoting.lead_goal),
        UnknownPivotDecision,
    )
    pivoting.refuse(c.RecordPivotDecision(pivot_id=pid, decision="keep"), PivotDecisionSubject)
    pivoting.refuse(
        c.RecordPivotDecision(
            pivot_id=pid,
            decision="keep",
            goal_id=pivoting.lead_goal,
            requirement_id=pivoting.requirement_ids[0],
        ),
        PivotDecisionSubject,
    )


def decide_everything(h: Harness) -> None:
    design, lead, partners = h.requirement_ids
    decide(h, "drop", goal_id=h.design_goal, note="not a PM goal")
    decide(h, "keep", goal_id=h.lead_goal)
    decide(h, "drop", requirement_id=design, note="engineering depth")
    decide(h, "keep", requirement_id=lead)
    decide(h, "keep", requirement_id=partners)


def test_completion_needs_every_decision_then_moves_the_destination_and_adds_what_is_new(pivoting):
    pivoting.refuse(
        c.CompletePivot(pivot_id=pivoting.pivot_id), PivotHasUndecided, match="System design course"
    )
    decide_everything(pivoting)
    pivoting.advance(days=1)
    events = pivoting.run(c.CompletePivot(pivot_id=pivoting.pivot_id, summary="Now a PM plan"))
    assert [type(e) for e in events] == [DestinationRevised, RequirementAdded, PivotCompleted]
    assert (
        events[1].requirement_id == pivoting.proposed[2].requirement_id
    )  # the others carried over
    plan = pivoting.plan
    assert plan.destination.role == "product manager" and plan.open_pivot is None
    assert len(plan.active_requirements) == 3
    pivoting.set_goal(
        statement="Run discovery interviews",
        serves=(Contribution(pivoting.proposed[2].requirement_id, "x"),),
    )
    pivoting.refuse(c.CompletePivot(pivot_id=pivoting.pivot_id), PivotNotOpen)


def test_abandoning_keeps_the_old_destination_and_takes_goals_again(pivoting):
    old = pivoting.plan.destination
    decide(pivoting, "drop", goal_id=pivoting.design_goal, note="no time")
    [event] = pivoting.run(c.AbandonPivot(pivot_id=pivoting.pivot_id, reason="staying an engineer"))
    assert isinstance(event, PivotAbandoned)
    assert pivoting.plan.destination == old and pivoting.plan.open_pivot is None
    assert pivoting.plan.goals[pivoting.design_goal].status == "dropped"
    assert pivoting.plan.pivots[pivoting.pivot_id].status == "abandoned"
    pivoting.set_goal(statement="A new engineering goal")
    pivoting.run(start(pivoting, new_id(), requirements=()))


def test_replaying_a_pivot_gives_the_same_plan(pivoting):
    decide_everything(pivoting)
    pivoting.run(c.CompletePivot(pivot_id=pivoting.pivot_id))
    assert CareerPlan.replay(pivoting.events) == pivoting.plan


def test_decisions_cannot_predate_the_pivot(pivoting):
    from domain.errors import OccurredBeforePivot

    pivoting.refuse(
        c.RecordPivotDecision(
            pivot_id=pivoting.pivot_id,
            goal_id=pivoting.lead_goal,
            decision="keep",
            occurred_at=pivoting.now - timedelta(minutes=1),
        ),
        OccurredBeforePivot,
    )


def test_a_replacement_serving_a_proposal_a_requirement_took_is_pointed_to_that_requirement(
    pivoting,
):
    lead, new_lead = pivoting.requirement_ids[1], pivoting.proposed[0].requirement_id
    decide(pivoting, "keep", requirement_id=lead)
    replacement = c.SetGoal(
        goal_id=new_id(), terms=pivoting.terms(serves=(Contribution(new_lead, "Ownership."),))
    )
    pivoting.refuse(
        c.RecordPivotDecision(
            pivot_id=pivoting.pivot_id,
            goal_id=pivoting.design_goal,
            decision="replace",
            replacement=replacement,
        ),
        ProposedRequirementTaken,
        match="let the goal serve that one",
    )
