"""The client view is a pure fold: any split into batches (stored as JSON in between) gives the same view."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projection_story import Story, fold, new_id

from domain import commands as c
from domain.alignment import AlignmentPolicy, check_alignment
from domain.errors import DomainError
from domain.values import Contribution, Measure, TermsPatch
from projections import client_view
from projections.client_view import caseload_row
from projections.momentum import momentum
from projections.roadmap import roadmap

OPS = ("goal", "binary_goal", "check_in", "check_in", "correct", "backdate", "milestone", "complete",
       "reopen_milestone", "remove_milestone", "pause", "resume", "achieve", "drop", "reopen", "refine",
       "replace", "review", "retire", "reassign", "align")
STEP = st.tuples(st.sampled_from(OPS), st.integers(0, 99), st.integers(0, 12), st.integers(1, 10),
                 st.integers(0, 9))


def _pick(items, index):
    items = list(items)
    return items[index % len(items)] if items else None


def _do(s: Story, op: str, pick: int, value: int, confidence: int) -> None:
    goals = list(s.plan.goals.values())
    pools = {
        "correct": [g for g in goals if g.is_open and g.check_ins],
        "complete": [g for g in goals if g.is_open and any(m.status == "open" for m in g.milestones.values())],
        "reopen_milestone": [g for g in goals if g.is_open
                             and any(m.status == "completed" for m in g.milestones.values())],
        "remove_milestone": [g for g in goals if g.is_open and g.milestones],
        "resume": [g for g in goals if g.status == "paused"],
        "reopen": [g for g in goals if g.status in ("achieved", "dropped")],
    }
    goal = _pick(pools.get(op) or [g for g in goals if g.is_open] or goals, pick)
    gid = goal.goal_id if goal else "none"
    binary = goal is not None and goal.terms.measure.is_binary
    amount = (value % 2 if binary else value)
    active = [r.requirement_id for r in s.plan.active_requirements]
    serves = (Contribution(_pick(active, pick), "Builds depth."),)
    if op == "goal":
        s.goal(follows=(gid,) if goal and pick % 3 == 0 else (), serves=serves)
    elif op == "binary_goal":
        s.goal(measure=Measure.done("certificate received"), serves=serves)
    elif op in ("check_in", "backdate"):
        at = s.now - timedelta(days=pick % 20) if op == "backdate" else None
        s.check_in(gid, amount, confidence, occurred_at=at)
    elif op == "correct" and goal and goal.check_ins:
        s.check_in(gid, amount, confidence, corrects=_pick(goal.check_ins, pick).check_in_id)
    elif op == "milestone":
        s.milestone(gid, complete=pick % 2 == 0)
    elif op in ("complete", "reopen_milestone", "remove_milestone") and goal and goal.milestones:
        command = {"complete": c.CompleteMilestone, "reopen_milestone": c.ReopenMilestone,
                   "remove_milestone": c.RemoveMilestone}[op]
        wanted = {"complete": "open", "reopen_milestone": "completed"}.get(op)
        ids = [mid for mid, m in goal.milestones.items()
               if m.status == wanted or (not wanted and m.status != "removed")]
        if ids:
            s.run(command(goal_id=gid, milestone_id=_pick(ids, pick)))
    elif op in ("pause", "resume", "achieve"):
        s.run({"pause": c.PauseGoal, "resume": c.ResumeGoal, "achieve": c.AchieveGoal}[op](goal_id=gid))
    elif op == "drop":
        s.run(c.DropGoal(goal_id=gid, reason="no longer relevant"))
    elif op == "reopen":
        s.run(c.ReopenGoal(goal_id=gid, reason="again"))
    elif op == "refine":
        s.run(c.RefineGoal(goal_id=gid, changes=TermsPatch(
            confidence=confidence, due_on=s.today + timedelta(days=30 + value),
            measure=None if binary or value % 2 else Measure.metric("modules completed", value % 3, 20, "m"))))
    elif op == "replace":
        s.run(c.ReplaceGoal(goal_id=gid, replacement=c.SetGoal(goal_id=new_id(), terms=s.terms(serves=serves))))
    elif op == "review":
        s.run(c.StartReview(review_id=new_id()))
        review = s.plan.open_review
        for goal_id in review.goal_ids:
            s.run(c.RecordReviewDecision(review_id=review.review_id, goal_id=goal_id,
                                         decision="achieved" if value % 4 == 0 else "keep"))
        s.run(c.CompleteReview(review_id=review.review_id))
    elif op == "retire" and len(active) > 3:
        s.run(c.RetireRequirement(requirement_id=_pick(s.requirement_ids, pick), reason="changed"))
    elif op == "reassign":
        s.run(c.ReassignCoach(coach_id=f"coach-{pick}"))
    elif op == "align":
        s.run(c.RecordAlignmentCheck(check_id=new_id(), policy={"stall_days": 1 + value}))


def _roundtrip(view: dict) -> dict:
    """The view as a JSONB column gives it back: same values, keys in another order (here reversed)."""
    return json.loads(json.dumps(view), object_pairs_hook=lambda pairs: dict(reversed(pairs)))


def _readings(view: dict, today) -> tuple:
    return caseload_row(view), roadmap(view, today), momentum(view, today)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batches_equal_one_fold_and_match_the_domain(data):
    s = Story().enrol(requirements=6)
    s.goal()
    s.goal(measure=Measure.done("feature shipped"))
    for op, pick, value, confidence, days in data.draw(st.lists(STEP, min_size=1, max_size=60), label="steps"):
        s.advance(days=days, hours=pick % 5)
        try:
            _do(s, op, pick, value, confidence)
        except DomainError:
            pass
    whole = fold(s.events)
    assert json.loads(json.dumps(whole)) == whole

    cuts = sorted(data.draw(st.lists(st.integers(0, len(s.events)), max_size=6), label="cuts"))
    view = client_view.new_view("client-1")
    for start, end in zip([0, *cuts], [*cuts, len(s.events)]):
        for event in s.events[start:end]:
            client_view.apply(view, event)
        view = _roundtrip(view)
    assert view == whole
    for today in (s.today, s.today + timedelta(days=40)):
        assert _readings(view, today) == _readings(whole, today)
        findings = check_alignment(s.plan, today, AlignmentPolicy())
        at_risk = {g["goal_id"] for frame in roadmap(whole, today)["timeframes"] for g in frame["goals"]
                   if g["pace"] == "at risk" and g["due_on"] >= today.isoformat()}
        assert {f.goal_id for f in findings if f.rule == "pace_at_risk"} == at_risk, "pace agrees with the roadmap"
    if s.plan.last_alignment_check is not None:
        assert whole["alignment"]["check_id"] == s.plan.last_alignment_check.check_id

    for goal_id, goal in s.plan.goals.items():
        entry = whole["goals"][goal_id]
        assert entry["status"] == goal.status
        assert entry["current_value"] == goal.current_value
        assert entry["latest_confidence"] == goal.current_confidence
        live = {mid: m.status for mid, m in goal.milestones.items() if m.status != "removed"}
        assert {mid: m["status"] for mid, m in entry["milestones"].items()} == live
    weekly = sum(sum(counts.values()) for counts in whole["wins"].values())
    assert weekly == sum(whole["win_days"].values())
    assert all(n >= 0 for counts in whole["wins"].values() for n in counts.values())
    assert whole["client"]["coach_id"] == s.plan.coach_id
