"""The carry-over of a pivot: which requirements carry over, which goals it strands, what no goal covers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.pivots import (
    SIMILAR_AT,
    CarriedRequirement,
    ProposedRequirement,
    carry_over,
    likeness,
    normalised,
    overlap,
)
from domain.values import REQUIREMENT_KINDS

R = ProposedRequirement  # any (id, kind, description) reads as a requirement


def test_equal_wording_once_normalised_is_the_same_requirement():
    assert likeness(R("a", "skill", "Leads  Teams!"), R("b", "skill", "leads teams")) == "same"
    assert normalised("Write-ups, talks.") == ("write", "ups", "talks")


def test_shared_content_words_above_the_threshold_are_similar():
    old = R(
        "a", "relationship", "Collaborates across teams; trusted by product and operations partners"
    )
    new = R(
        "b", "relationship", "Collaborates across teams; trusted by engineering and design partners"
    )
    assert overlap(old.description, new.description) >= SIMILAR_AT
    assert likeness(old, new) == "similar"


def test_a_requirement_of_another_kind_never_carries_over():
    assert (
        likeness(R("a", "skill", "Public speaking"), R("b", "experience", "Public speaking"))
        is None
    )


def test_unrelated_wording_does_not_carry_over():
    assert (
        likeness(
            R("a", "skill", "Designs reliable systems"), R("b", "skill", "Runs user interviews")
        )
        is None
    )


def test_the_three_lists_of_a_small_pivot():
    current = [R("r1", "skill", "Public speaking"), R("r2", "skill", "Writes Go services")]
    proposed = [R("n1", "skill", "Public speaking"), R("n2", "skill", "Product analytics")]
    found = carry_over(current, {"g1": ["r1"], "g2": ["r2"], "g3": ["r1", "r2"]}, proposed)
    assert found.carried == (CarriedRequirement("r1", "n1", "same"),)
    assert found.stranded_goal_ids == ("g2",)
    assert found.uncovered_requirement_ids == ("n2",)


def test_a_match_is_one_to_one_and_the_best_overlap_wins():
    current = [
        R("r1", "skill", "Writes product specs"),
        R("r2", "skill", "Writes clear product specs"),
    ]
    proposed = [R("n1", "skill", "Writes clear product specs")]
    found = carry_over(current, {}, proposed)
    assert found.carried == (CarriedRequirement("r2", "n1", "same"),)


WORDS = st.sampled_from(
    "design lead team product users data specs talks trust reliable roadmap".split()
)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
REQUIREMENTS = st.lists(st.tuples(st.sampled_from(REQUIREMENT_KINDS[:2]), TEXT), max_size=6)


def _requirements(prefix: str, drawn) -> list[R]:
    return [R(f"{prefix}{i}", kind, text) for i, (kind, text) in enumerate(drawn)]


@given(REQUIREMENTS, REQUIREMENTS, st.data())
def test_every_carry_over_is_alike_one_to_one_and_partitions_goals_and_proposals(old, new, data):
    current, proposed = _requirements("r", old), _requirements("n", new)
    ids = [r.requirement_id for r in current]
    goals = {
        f"g{i}": data.draw(st.lists(st.sampled_from(ids), max_size=3)) if ids else []
        for i in range(data.draw(st.integers(0, 4)))
    }
    found = carry_over(current, goals, proposed)
    by_id = {r.requirement_id: r for r in current + proposed}
    for item in found.carried:
        assert likeness(by_id[item.requirement_id], by_id[item.new_requirement_id]) == item.likeness
    assert len({i.requirement_id for i in found.carried}) == len(found.carried)
    assert len({i.new_requirement_id for i in found.carried}) == len(found.carried)
    carried = {i.requirement_id: i.new_requirement_id for i in found.carried}
    for goal_id, served in goals.items():
        assert (goal_id in found.stranded_goal_ids) == (not any(r in carried for r in served))
    covered = {carried[r] for served in goals.values() for r in served if r in carried}
    assert set(found.uncovered_requirement_ids) == {p.requirement_id for p in proposed} - covered


@given(REQUIREMENTS)
def test_pivoting_to_the_same_requirements_carries_every_one_over_as_the_same(old):
    current = _requirements("r", old)
    proposed = _requirements("n", old)
    goals = {"g": [r.requirement_id for r in current]} if current else {}
    found = carry_over(current, goals, proposed)
    assert len(found.carried) == len(current)
    assert all(item.likeness == "same" for item in found.carried)
    assert found.stranded_goal_ids == () and found.uncovered_requirement_ids == ()
