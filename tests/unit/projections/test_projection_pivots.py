"""The client view of a pivot: the open pivot with its carry-over lists and decisions, wins kept."""

from __future__ import annotations

import json

from projection_story import Story

from domain import commands as c
from domain.pivots import ProposedRequirement
from projections import client_view


def pivoting() -> tuple[Story, str, str]:
    """A story with a goal on requirement 0 (a win on it) and a pivot that keeps requirement 0 only."""
    s = Story().enrol(requirements=2)
    goal = s.goal()
    s.milestone(goal, complete=True)
    s.advance(days=1)
    s.run(
        c.StartPivot(
            pivot_id="p1",
            statement="Become a product manager.",
            role="product manager",
            industry="software",
            impact="products",
            horizon=s.today.replace(year=s.today.year + 3),
            requirements=(
                ProposedRequirement("n1", "skill", "Skill 0"),
                ProposedRequirement("n2", "skill", "Customer discovery"),
            ),
        )
    )
    return s, goal, s.requirement_ids[0]


def test_the_open_pivot_shows_its_carry_over_lists_and_decisions_so_far():
    s, goal, kept = pivoting()
    s.run(c.RecordPivotDecision(pivot_id="p1", goal_id=goal, decision="keep"))
    pivot = s.view()["pivots"]["open"]
    assert (
        pivot["to"]["role"] == "product manager"
        and pivot["from"]["role"] == "senior software engineer"
    )
    assert pivot["carried"] == [
        {"requirement_id": kept, "new_requirement_id": "n1", "likeness": "same"}
    ]
    assert pivot["stranded_goal_ids"] == [] and pivot["uncovered_requirement_ids"] == ["n2"]
    assert pivot["decisions"] == {"goals": {goal: "keep"}, "requirements": {}}
    assert json.loads(json.dumps(s.view())) == s.view()


def test_completing_moves_the_destination_and_keeps_the_wins():
    s, goal, kept = pivoting()
    before = s.view()
    s.run(c.RecordPivotDecision(pivot_id="p1", goal_id=goal, decision="keep"))
    s.run(c.RecordPivotDecision(pivot_id="p1", requirement_id=kept, decision="keep"))
    s.run(
        c.RecordPivotDecision(pivot_id="p1", requirement_id=s.requirement_ids[1], decision="drop")
    )
    s.run(c.CompletePivot(pivot_id="p1"))
    view = s.view()
    assert view["destination"]["role"] == "product manager"
    assert view["pivots"]["open"] is None and view["pivots"]["completed"] == 1
    assert view["pivots"]["started"]["p1"]["status"] == "completed"
    assert view["requirements"]["n2"]["status"] == "active"
    assert (view["wins"], view["last_win_at"]) == (before["wins"], before["last_win_at"])


def test_a_view_folded_before_pivots_existed_takes_a_pivot():
    s, _, _ = pivoting()
    view = client_view.new_view("client-1")
    del view["pivots"]
    for event in s.events:
        client_view.apply(view, event)
    assert view["pivots"]["open"]["pivot_id"] == "p1"
