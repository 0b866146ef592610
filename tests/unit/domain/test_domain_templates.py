"""Programme templates in the domain: a body's rules, a proposal's dates and ids, partial acceptance, diffs."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_harness import Harness

from careerplan.seed_template import seed_template_body
from domain import commands as c
from domain.dates import add_months
from domain.errors import (
    ConfidenceOutOfRange,
    IdAlreadyUsed,
    InvalidTemplate,
    MilestoneEstimateOutOfRange,
    NothingChanged,
    TemplateGoalWithoutRequirement,
    TooManyRequirements,
    UnknownGoalCategory,
    UnknownTemplateKey,
)
from domain.events import GoalSet, MilestoneAdded, TemplateApplied
from domain.template_diff import diff
from domain.template_proposal import propose
from domain.templates import body_from_data, body_to_data, checked_body

SEED = checked_body(body_from_data(seed_template_body()))


def body_with(change) -> dict:
    data = copy.deepcopy(seed_template_body())
    change(data)
    return data


def apply(template=SEED, **accept) -> c.ApplyTemplate:
    return c.ApplyTemplate(
        template_id="t1", template_version=1, template_name="Seed", body=template, **accept
    )


def enrolled() -> Harness:
    h = Harness()
    h.enrol()
    return h


def test_the_seed_template_round_trips_through_its_data_form():
    assert body_from_data(body_to_data(SEED)) == SEED
    assert checked_body(SEED) == SEED


@pytest.mark.parametrize(
    "change, error, match",
    [
        (
            lambda b: [
                b["requirements"].pop(),
                b["requirements"][1]["goals"][0].update(also_serves=[]),
            ],
            None,
            None,
        ),
        (lambda b: b["requirements"].clear(), InvalidTemplate, "5–10 requirements"),
        (
            lambda b: b["requirements"].extend(copy.deepcopy(b["requirements"][:5])),
            InvalidTemplate,
            "5–10 requirements",
        ),
        (
            lambda b: b["requirements"][1].update(key="design"),
            InvalidTemplate,
            "design more than once",
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(duration_months=25),
            InvalidTemplate,
            "1 to 24",
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(category="fun"),
            UnknownGoalCategory,
            None,
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(confidence=11),
            ConfidenceOutOfRange,
            None,
        ),
        (
            lambda b: b["requirements"][0]["goals"][0]["milestones"][0].update(estimate_minutes=20),
            MilestoneEstimateOutOfRange,
            "30–60 minutes",
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(follows=["nowhere"]),
            UnknownTemplateKey,
            "nowhere",
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(also_serves=["design"]),
            UnknownTemplateKey,
            "another requirement",
        ),
        (
            lambda b: b["requirements"][0]["goals"][0].update(follows=["initiative"]),
            InvalidTemplate,
            "loop",
        ),
    ],
)
def test_a_template_body_is_held_to_its_rules(change, error, match):
    data = body_with(change)
    if error is None:
        assert len(checked_body(body_from_data(data)).requirements) == 5
        return
    with pytest.raises(error, match=match):
        checked_body(body_from_data(data))


def test_a_goal_follows_the_previous_goal_of_its_chain_unless_told_otherwise():
    def two_in_a_chain(b):
        second = copy.deepcopy(b["requirements"][0]["goals"][0])
        second.update(key="second", start_month=None, follows=None, duration_months=2)
        b["requirements"][0]["goals"].append(second)

    body = checked_body(body_from_data(body_with(two_in_a_chain)))
    second = body.requirements[0].goals[1]
    assert second.follows == ("system-design",)
    proposal = propose(body, client_id="c", template_id="t", version=1, start_on=date(2027, 1, 31))
    dated = {g.key: g.terms for g in proposal.goals}
    assert dated["second"].start_on == dated["system-design"].due_on == date(2027, 4, 30)
    assert dated["second"].due_on == date(2027, 6, 30)


def test_the_seed_template_dates_its_goals_in_the_four_timeframes_from_the_start():
    start = date(2026, 12, 5)
    proposal = propose(SEED, client_id="c", template_id="t", version=1, start_on=start)
    due = {g.key: g.terms.due_on for g in proposal.goals}
    assert due == {
        "system-design": add_months(start, 3),
        "lead-feature": add_months(start, 12),
        "mentor": add_months(start, 24),
        "initiative": add_months(start, 48),
    }
    assert proposal.destination.horizon == add_months(start, 60)
    assert [g.key for g in proposal.goals] == list(due)  # each after the goals it follows


def test_ids_are_the_same_on_every_proposal_and_differ_per_client_and_version():
    def ids(client, version):
        p = propose(SEED, client_id=client, template_id="t", version=version, start_on=date.today())
        return [r.requirement_id for r in p.requirements] + [g.goal_id for g in p.goals]

    assert ids("a", 1) == ids("a", 1)
    assert not set(ids("a", 1)) & set(ids("b", 1))
    assert not set(ids("a", 1)) & set(ids("a", 2))


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31)),
    starts=st.lists(st.one_of(st.none(), st.integers(0, 120)), min_size=4, max_size=4),
    durations=st.lists(st.integers(1, 24), min_size=4, max_size=4),
    minutes=st.integers(30, 60),
)
def test_every_proposed_goal_keeps_the_two_year_rule_and_every_milestone_30_to_60_minutes(
    start, starts, durations, minutes
):
    def timed(b):
        goals = [g for r in b["requirements"] for g in r["goals"]]
        for goal, begin, months in zip(goals, starts, durations):
            goal.update(start_month=begin, duration_months=months)
            for m in goal["milestones"]:
                m["estimate_minutes"] = minutes

    body = checked_body(body_from_data(body_with(timed)))
    proposal = propose(body, client_id="c", template_id="t", version=1, start_on=start)
    for goal in proposal.goals:
        assert start <= goal.terms.start_on < goal.terms.due_on
        assert goal.terms.due_on <= add_months(goal.terms.start_on, 24)
        assert all(30 <= m.estimate_minutes <= 60 for m in goal.milestones)


def test_applying_records_the_provenance_first_then_the_ordinary_events():
    h = enrolled()
    events = h.run(apply())
    applied = events[0]
    assert isinstance(applied, TemplateApplied)
    assert (applied.template_id, applied.template_version, applied.template_name) == (
        "t1",
        1,
        "Seed",
    )
    assert applied.goal_ids == tuple(e.goal_id for e in events if isinstance(e, GoalSet))
    assert set(applied.requirement_ids) == set(h.plan.requirements)
    assert len(h.plan.goals) == 4 and h.plan.destination is not None
    assert all(isinstance(e, MilestoneAdded) for e in events[-1:])
    for goal in h.plan.goals.values():  # dated from the client's start: enrolled today
        assert goal.terms.start_on >= h.today


def test_dates_count_from_today_for_a_client_enrolled_long_ago():
    h = enrolled()
    h.advance(days=400)
    h.run(apply(goal_keys=("system-design",), requirement_keys=("design", "portfolio")))
    (goal,) = h.plan.goals.values()
    assert goal.terms.start_on == h.today and goal.terms.due_on == add_months(h.today, 3)


def test_a_client_with_a_destination_keeps_it():
    h = enrolled()
    h.set_destination()
    before = h.plan.destination
    h.run(apply(goal_keys=()))
    assert h.plan.destination == before


def test_a_partial_acceptance_drops_links_to_goals_left_out():
    h = enrolled()
    h.run(apply(requirement_keys=("mentor", "lead"), goal_keys=("mentor",)))
    (goal,) = h.plan.goals.values()
    assert goal.terms.follows == ()
    assert len(goal.terms.serves) == 1


def test_a_goal_whose_requirement_is_not_accepted_nor_in_the_plan_is_refused():
    h = enrolled()
    h.refuse(
        apply(requirement_keys=("design",), goal_keys=("mentor",)),
        TemplateGoalWithoutRequirement,
        "mentor",
    )


def test_a_later_acceptance_takes_the_rest_and_links_to_goals_already_in_the_plan():
    h = enrolled()
    h.run(apply(goal_keys=("system-design",)))
    events = h.run(apply(goal_keys=("lead-feature",)))
    (set_goal,) = [e for e in events if isinstance(e, GoalSet)]
    first = next(g for g in h.plan.goals.values() if g.goal_id != set_goal.goal_id)
    assert set_goal.terms.follows == (first.goal_id,)
    h.refuse(apply(goal_keys=("lead-feature",)), IdAlreadyUsed)
    h.run(apply())
    h.refuse(apply(), NothingChanged)


def test_an_eleventh_requirement_refuses_the_whole_application():
    h = enrolled()
    h.set_destination()
    h.add_requirements(5)
    h.refuse(apply(), TooManyRequirements)


def test_unknown_keys_are_refused_naming_the_known_ones():
    h = enrolled()
    h.refuse(apply(goal_keys=("nope",)), UnknownTemplateKey, "system-design")


def test_a_diff_names_what_was_added_removed_and_changed_by_key():
    def revised(b):
        b["requirements"] = [r for r in b["requirements"] if r["key"] != "partners"]
        b["requirements"][0]["description"] = "Designs systems"
        lead = next(r for r in b["requirements"] if r["key"] == "lead")
        lead["goals"][0].update(duration_months=9, also_serves=[])
        lead["goals"].append(
            {**copy.deepcopy(lead["goals"][0]), "key": "lead-team", "follows": ["lead-feature"]}
        )
        b["destination"]["horizon_years"] = 6

    new = checked_body(body_from_data(body_with(revised)))
    found = diff(SEED, new)
    assert found.destination_fields == ("horizon_years",)
    assert found.requirements_removed == ("partners",) and found.requirements_added == ()
    assert [(c.key, c.fields) for c in found.requirements_changed] == [("design", ("description",))]
    assert found.goals_added == ("lead-team",) and found.goals_removed == ()
    assert [(c.key, c.fields) for c in found.goals_changed] == [
        ("lead-feature", ("duration_months", "serves"))
    ]
    assert diff(SEED, SEED).empty and not found.empty
