"""The caseload: clients ranked by who needs attention, with scores and reasons, ties in a stable order."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from projection_story import START, Story

from domain import commands as c
from projections.caseload import attention, by_attention, rank, ranked_page
from projections.client_view import caseload_row

DAY0 = START.date()


def _client(client_id: str, name: str) -> Story:
    return Story(client_id).enrol(name=name)


def test_clients_are_ranked_by_attention_score_with_reasons():
    stalled = _client("c-stalled", "Bea")
    late = stalled.goal(due_on=DAY0 + timedelta(days=20))
    stalled.goal()
    falling = _client("c-falling", "Cy")
    gid = falling.goal(confidence=8)
    falling.advance(days=20)
    falling.check_in(gid, 1, confidence=4)
    fine = _client("c-fine", "Al")
    gid = fine.goal()
    fine.advance(days=20)
    fine.milestone(gid, complete=True)
    rows = [caseload_row(s.view()) for s in (fine, falling, stalled)]

    ranked = rank(rows, DAY0 + timedelta(days=25))
    assert [(e["client_id"], e["score"]) for e in ranked] == [
        ("c-stalled", 3 + 3 + 2),
        ("c-falling", 2),
        ("c-fine", 0),
    ]
    top = ranked[0]
    assert top["stalled"] == [late, top["stalled"][1]] and top["overdue"] == [late]
    assert top["reasons"][0] == "goal 'Complete a system design course' stalled: no win for 25 days"
    assert top["reasons"][1].endswith(f"overdue: due {DAY0 + timedelta(days=20)} (5 days ago)")
    assert ranked[1]["falling_confidence"] and ranked[1]["reasons"] == [
        "confidence falling: -4 against earlier check-ins"
    ]
    assert ranked[2]["reasons"] == [] and not ranked[2]["review_due"]


def test_review_falls_due_a_cadence_after_enrolment_or_the_last_review():
    s = _client("c1", "Ada")
    s.goal()
    s.milestone(next(iter(s.plan.goals)), complete=True)
    due = attention(caseload_row(s.view()), DAY0 + timedelta(days=90), stall_days=1000)
    assert due["review_due"] and due["score"] == 1 and due["next_review_due"] == "2026-04-05"
    assert due["reasons"] == ["review due since 2026-04-05 (never reviewed; every 3 months)"]
    assert not attention(caseload_row(s.view()), DAY0 + timedelta(days=89), stall_days=1000)[
        "review_due"
    ]
    s.advance(days=91)
    s.run(c.StartReview(review_id="r1"))
    assert not attention(caseload_row(s.view()), s.today, stall_days=1000)[
        "review_due"
    ]  # in progress
    s.run(c.RecordReviewDecision(review_id="r1", goal_id=next(iter(s.plan.goals)), decision="keep"))
    s.run(c.CompleteReview(review_id="r1"))
    row = caseload_row(s.view())
    assert not attention(row, s.today, stall_days=1000)["review_due"]
    later = attention(row, s.today + timedelta(days=92), stall_days=1000)
    assert later["review_due"] and later["reasons"][-1].endswith(
        "(last review 2026-04-06; every 3 months)"
    )


def test_paused_goals_are_neither_stalled_nor_overdue():
    s = _client("c1", "Ada")
    gid = s.goal(due_on=DAY0 + timedelta(days=10))
    s.run(c.PauseGoal(goal_id=gid))
    entry = attention(caseload_row(s.view()), DAY0 + timedelta(days=40))
    assert (entry["stalled"], entry["overdue"]) == ([], [])


def test_ties_are_ordered_by_client_id_whatever_the_names():
    rows = [
        caseload_row(_client(client_id, name).view())
        for client_id, name in (("c3", "bo"), ("c2", "Bo"), ("c1", "al"), ("c0", "Cy"))
    ]
    ranked = rank(rows, DAY0)
    assert [e["client_id"] for e in ranked] == ["c0", "c1", "c2", "c3"]
    assert by_attention(ranked[0]) == (0, "c0")  # a page's position: no name in a cursor


def test_a_critical_finding_raises_the_attention_score_and_names_its_goal():
    s = _client("c-late", "Dee")
    late = s.goal(due_on=DAY0 + timedelta(days=20), statement="Finish the course")
    s.milestone(late)
    s.advance(days=25)
    plain = attention(caseload_row(s.view()), s.today)
    s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    entry = attention(caseload_row(s.view()), s.today)

    assert entry["score"] == plain["score"] + 3
    assert entry["critical_findings"] == [
        {"rule": "goal_overdue", "goal_id": late, "requirement_id": None}
    ]
    assert entry["reasons"][-1] == (
        f"critical finding: goal 'Finish the course' overdue by 5 days, due {DAY0 + timedelta(days=20)} "
        "(suggested: tweak)"
    )
    summary = entry["alignment"]
    assert (summary["critical"], summary["checked_at"]) == (1, s.events[-1].data["occurred_at"])
    assert summary["top"][0]["rule"] == "goal_overdue"


def test_a_critical_finding_about_a_goal_closed_since_the_check_no_longer_counts():
    s = _client("c-late", "Dee")
    late = s.goal(due_on=DAY0 + timedelta(days=20))
    s.advance(days=25)
    s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    s.run(c.AchieveGoal(goal_id=late))
    entry = attention(caseload_row(s.view()), s.today)
    assert entry["critical_findings"] == [] and entry["score"] == 0
    assert entry["alignment"]["critical"] == 1  # the check's own summary is history, unchanged


def _goal(n: int, due: date, quiet: date, paused: bool) -> dict:
    return {
        "goal_id": f"g-{n}",
        "statement": f"goal {n}",
        "paused": paused,
        "paused_days": 0.0,
        "quiet_since": quiet.isoformat(),
        "start_on": "2026-01-01",
        "due_on": due.isoformat(),
    }


_days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
_rows = st.lists(
    st.builds(
        lambda n, goals, delta, reviewed: {
            "client_id": f"c-{n:03d}",
            "display_name": f"Client {n}",
            "organisation_id": "org-a",
            "coach_id": "coach-1",
            "goals": [_goal(i, *g) for i, g in enumerate(goals)],
            "confidence_delta": delta,
            "enrolled_at": "2026-01-05T09:00:00+00:00",
            "last_review_completed_at": reviewed and f"{reviewed.isoformat()}T10:00:00+00:00",
            "review_open_since": None,
            "review_cadence_months": 3,
            "timezone": "Europe/London",
        },
        st.integers(0, 999),
        st.lists(st.tuples(_days, _days, st.booleans()), max_size=3),
        st.none() | st.sampled_from([-2.0, -1.0, 0.0, 1.5]),
        st.none() | _days,
    ),
    max_size=30,
    unique_by=lambda row: row["client_id"],
)


@settings(max_examples=200, deadline=None)
@given(rows=_rows, limit=st.integers(1, 7), today=_days)
def test_paging_the_ranked_caseload_walks_the_whole_ranking_once(rows, limit, today):
    walked, after = [], None
    for _ in range(len(rows) // limit + 1):
        page, after = ranked_page(rows, today, 21, after, limit)
        assert len(page) <= limit
        walked += page
        if after is None:
            break
        assert after == by_attention(page[-1])
    assert after is None and walked == rank(rows, today)
