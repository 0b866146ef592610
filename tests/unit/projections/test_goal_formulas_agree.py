"""Property: the re-alignment check and the views judge stalls, pace and the last win alike.

Random histories (goals set, paused and resumed, achieved and reopened;
milestones completed, reopened and removed; check-ins live, back-dated and
corrected; measures refined, even to count down) are decided by the domain
and folded into a client view. For random `today`s from the last fact on,
the check's `goal_stalled` findings name exactly the goals momentum and the
caseload call stalled (same `stall_days`, same quiet days), its
`pace_at_risk` findings exactly the goals the roadmap paces "at risk" that
are not past due, and plan and view agree on each goal's last win.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projection_story import Story, random_step, step

from domain.alignment import AlignmentPolicy, check_alignment
from domain.errors import DomainError
from domain.values import Measure
from projections import goal_clock
from projections.caseload import attention
from projections.client_view import caseload_row
from projections.momentum import momentum
from projections.roadmap import roadmap

MOMENTUM_OPS = (
    "goal",
    "binary_goal",
    "check_in",
    "backdate",
    "correct",
    "milestone",
    "milestone",
    "complete",
    "reopen_milestone",
    "reopen_milestone",
    "remove_milestone",
    "pause",
    "resume",
    "achieve",
    "reopen",
    "refine",
)
STEPS = st.lists(step(MOMENTUM_OPS), min_size=1, max_size=60)


def _history(data) -> Story:
    s = Story().enrol(requirements=6)
    s.goal()
    s.goal(measure=Measure.done("feature shipped"))
    for op, pick, value, confidence, days in data.draw(STEPS, label="steps"):
        s.advance(days=days, hours=pick % 5)
        try:
            random_step(s, op, pick, value, confidence)
        except DomainError:
            pass
    return s


def _stall_days_in(summary: str) -> int:
    return int(summary.removeprefix("stalled: no win for ").removesuffix(" days"))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_check_and_the_views_agree_on_stalled_pace_and_last_win(data):
    s = _history(data)
    view = s.view()
    for goal_id, goal in s.plan.goals.items():
        won = goal.last_win_at
        assert view["goals"][goal_id]["last_win_at"] == (won and won.isoformat()), "same last win"
    stall_days = data.draw(st.integers(1, 40), label="stall_days")
    policy = AlignmentPolicy(stall_days=stall_days)
    row = caseload_row(view)
    for offset in data.draw(
        st.lists(st.integers(0, 150), min_size=1, max_size=4), label="days after"
    ):
        today = s.today + timedelta(days=offset)
        findings = check_alignment(s.plan, today, policy)
        checked = {
            f.goal_id: _stall_days_in(f.summary) for f in findings if f.rule == "goal_stalled"
        }
        listed = {g["goal_id"] for g in momentum(view, today, stall_days)["stalled"]}
        assert set(checked) == listed, "momentum stalls the goals the check does"
        assert set(attention(row, today, stall_days)["stalled"]) == listed, "so does the caseload"
        assert checked == {
            gid: int(goal_clock.quiet(view["goals"][gid], today)[0]) for gid in listed
        }
        at_risk = {
            g["goal_id"]
            for frame in roadmap(view, today)["timeframes"]
            for g in frame["goals"]
            if g["pace"] == "at risk" and g["due_on"] >= today.isoformat()
        }
        assert {f.goal_id for f in findings if f.rule == "pace_at_risk"} == at_risk, (
            "pace agrees with the roadmap"
        )
