"""The client view is a pure fold: any split into batches (stored as JSON in between) gives the same view."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projection_story import STEP, Story, fold, random_step

from domain.errors import DomainError
from domain.values import Measure
from projections import client_view
from projections.client_view import caseload_row
from projections.momentum import momentum
from projections.roadmap import roadmap


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
    for op, pick, value, confidence, days in data.draw(
        st.lists(STEP, min_size=1, max_size=60), label="steps"
    ):
        s.advance(days=days, hours=pick % 5)
        try:
            random_step(s, op, pick, value, confidence)
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
    assert client_view.status_of(whole) == s.plan.status
    assert whole["client"]["timezone"] == s.plan.timezone
