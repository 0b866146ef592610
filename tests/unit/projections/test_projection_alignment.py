"""Re-alignment checks on the read side: the latest findings in the view, the caseload summary, the history line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from projection_story import Story

from domain import commands as c
from domain.alignment import AlignmentPolicy, check_alignment
from domain.values import Contribution
from projections import alignment_events, client_view
from projections.history import describe, labels
from projections.momentum import stalled
from projections.roadmap import roadmap


def _stalled_story() -> tuple[Story, str]:
    """Ada, one goal quiet for 30 days and four requirements no goal serves."""
    s = Story().enrol()
    gid = s.goal(statement="Lead one feature", due_on=s.today + timedelta(days=300))
    s.milestone(gid)
    s.advance(days=30)
    return s, gid


def test_the_view_keeps_the_latest_check_with_counts_per_severity():
    s, gid = _stalled_story()
    assert s.view()["alignment"] is None
    s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    s.advance(days=1)
    [event] = s.run(c.RecordAlignmentCheck(check_id="slot-2"))
    latest = s.view()["alignment"]
    first_at = s.events[-2].data["occurred_at"]
    assert {k: v for k, v in latest.items() if k != "since"} == {
        "check_id": "slot-2",
        "checked_at": event.data["occurred_at"],
        "total": 5,
        "counts": {"critical": 0, "warning": 5, "info": 0},
        "findings": [{**f, "since": first_at} for f in event.data["findings"]],
    }
    assert [f["rule"] for f in latest["findings"]] == ["goal_stalled"] + [
        "requirement_uncovered"
    ] * 4
    assert latest["findings"][0]["goal_id"] == gid and json.loads(json.dumps(latest)) == latest


def test_the_view_keeps_at_most_max_findings():
    s, _ = _stalled_story()
    [event] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    many = [
        {**event.data["findings"][0], "goal_id": str(n)}
        for n in range(alignment_events.MAX_FINDINGS + 10)
    ]
    view = s.view()
    client_view.apply(view, replace(event, data={**event.data, "findings": many}))
    assert view["alignment"]["total"] == alignment_events.MAX_FINDINGS + 10
    assert len(view["alignment"]["findings"]) == alignment_events.MAX_FINDINGS


def test_the_caseload_row_summarises_the_latest_check():
    s, gid = _stalled_story()
    assert client_view.caseload_row(s.view())["alignment"] is None
    s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    summary = client_view.caseload_row(s.view())["alignment"]
    assert {k: summary[k] for k in ("total", "critical", "warning", "info")} == {
        "total": 5,
        "critical": 0,
        "warning": 5,
        "info": 0,
    }
    assert summary["top"][0] == {
        "rule": "goal_stalled",
        "severity": "warning",
        "suggested_action": "tweak",
        "goal_id": gid,
        "requirement_id": None,
        "summary": "stalled: no win for 30 days",
    }
    assert len(summary["top"]) == alignment_events.CASELOAD_FINDINGS


def test_the_history_names_each_finding_with_its_suggested_action():
    s, gid = _stalled_story()
    [event] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    assert describe(event, labels(s.view())) == (
        "re-alignment check: 5 findings — goal 'Lead one feature' stalled: no win for 30 days (tweak); "
        "requirement 'Skill 1' covered by no goal (add goal); requirement 'Skill 2' covered by no goal (add goal); "
        "requirement 'Skill 3' covered by no goal (add goal); requirement 'Skill 4' covered by no goal (add goal)"
    )
    assert describe(event).startswith(f"re-alignment check: 5 findings — goal {gid} stalled")


def test_a_check_with_nothing_to_flag_reads_as_such():
    s = Story().enrol(requirements=1)
    s.milestone(s.goal())
    [event] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    assert describe(event) == "re-alignment check: no findings"
    assert client_view.caseload_row(s.view())["alignment"]["top"] == []


def test_the_domain_s_stall_and_pace_agree_with_momentum_and_the_roadmap():
    s = Story().enrol()
    serves = [(Contribution(rid, "Builds it."),) for rid in s.requirement_ids]
    quiet = s.goal(serves=serves[0], due_on=s.today + timedelta(days=300))
    behind = s.goal(serves=serves[1], due_on=s.today + timedelta(days=100))
    paused = s.goal(serves=serves[2], due_on=s.today + timedelta(days=100))
    s.advance(days=10)
    s.check_in(behind, 1)
    s.run(c.PauseGoal(goal_id=paused))
    s.advance(days=12)
    s.run(c.ResumeGoal(goal_id=paused))
    s.check_in(paused, 1)
    view, seen = s.view(), set()
    for days in (0, 5, 20, 40):
        today = s.today + timedelta(days=days)
        findings = check_alignment(s.plan, today, AlignmentPolicy())
        domain_stalled = {f.goal_id for f in findings if f.rule == "goal_stalled"}
        domain_at_risk = {f.goal_id for f in findings if f.rule == "pace_at_risk"}
        assert domain_stalled == {g["goal_id"] for g in stalled(view, today)}
        assert domain_at_risk == {
            g["goal_id"]
            for frame in roadmap(view, today)["timeframes"]
            for g in frame["goals"]
            if g["pace"] == "at risk"
        }
        seen |= {("stalled", g) for g in domain_stalled} | {("at risk", g) for g in domain_at_risk}
    assert seen == {
        ("stalled", quiet),
        ("stalled", behind),
        ("stalled", paused),
        ("at risk", behind),
        ("at risk", paused),
    }


def _since(view: dict) -> dict:
    return {f["rule"]: f["since"] for f in view["alignment"]["findings"]}


def test_a_finding_is_current_since_the_first_check_of_its_unbroken_run():
    s, gid = _stalled_story()
    s.run(
        c.AddMilestone(
            goal_id=gid, milestone_id="m2", title="Ask for the project", estimate_minutes=30
        )
    )
    [first] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    s.advance(days=1)
    [second] = s.run(c.RecordAlignmentCheck(check_id="slot-2"))
    assert (
        _since(s.view())["goal_stalled"] == first.data["occurred_at"] != second.data["occurred_at"]
    )

    s.run(c.CompleteMilestone(goal_id=gid, milestone_id="m2"))  # a win: the stall is over
    s.advance(days=1)
    s.run(c.RecordAlignmentCheck(check_id="slot-3"))
    assert "goal_stalled" not in _since(s.view())
    s.advance(days=30)
    [again] = s.run(c.RecordAlignmentCheck(check_id="slot-4"))
    assert _since(s.view())["goal_stalled"] == again.data["occurred_at"]  # a new run starts


def test_a_clean_check_leaves_no_current_findings():
    s = Story().enrol(requirements=1)
    gid = s.goal(due_on=s.today + timedelta(days=300))
    s.advance(days=30)
    s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    assert alignment_events.current_findings(s.view())["total"] == 2  # stalled, no open milestone
    s.milestone(gid, complete=True)
    s.milestone(gid)
    [clean] = s.run(c.RecordAlignmentCheck(check_id="slot-2"))
    assert alignment_events.current_findings(s.view()) == {
        "client_id": s.client_id,
        "check_id": "slot-2",
        "checked_at": clean.data["occurred_at"],
        "total": 0,
        "findings": [],
    }


def test_a_check_back_dated_before_the_current_one_does_not_replace_it():
    s, gid = _stalled_story()
    [current] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    [past] = s.run(
        c.RecordAlignmentCheck(check_id="on-a-past-day", occurred_at=s.now - timedelta(days=20))
    )
    view = s.view()
    assert past.data["occurred_at"] < current.data["occurred_at"]
    assert view["alignment"]["check_id"] == "slot-1"
    assert _since(view)["goal_stalled"] == current.data["occurred_at"]


def test_the_current_findings_name_their_goal_or_requirement():
    s, gid = _stalled_story()
    [event] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    read = alignment_events.current_findings(s.view())
    stalled, uncovered = read["findings"][0], read["findings"][1]
    assert stalled == {
        "rule": "goal_stalled",
        "severity": "warning",
        "suggested_action": "tweak",
        "goal_id": gid,
        "requirement_id": None,
        "summary": "stalled: no win for 30 days",
        "message": event.data["findings"][0]["message"],
        "since": event.data["occurred_at"],
        "goal_statement": "Lead one feature",
        "requirement_description": None,
    }
    assert uncovered["requirement_id"] == s.requirement_ids[1]
    assert (uncovered["goal_statement"], uncovered["requirement_description"]) == (None, "Skill 1")


def test_the_roadmap_lists_each_goal_s_current_findings():
    s, gid = _stalled_story()

    def entry() -> dict:
        [found] = [
            g
            for frame in roadmap(s.view(), s.today)["timeframes"]
            for g in frame["goals"]
            if g["goal_id"] == gid
        ]
        return found

    assert entry()["findings"] == []
    [event] = s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    assert entry()["findings"] == [
        {
            "rule": "goal_stalled",
            "severity": "warning",
            "summary": "stalled: no win for 30 days",
            "suggested_action": "tweak",
            "since": event.data["occurred_at"],
        }
    ]


def test_a_rebuild_of_a_view_with_back_dated_checks_equals_its_incremental_updates():
    s, gid = _stalled_story()
    s.run(c.RecordAlignmentCheck(check_id="slot-1"))
    s.run(c.RecordAlignmentCheck(check_id="past", occurred_at=s.now - timedelta(days=10)))
    s.advance(days=1)
    s.run(c.RecordAlignmentCheck(check_id="slot-2"))
    incremental = client_view.new_view(s.client_id)
    for event in s.events:
        client_view.apply(incremental, event)
        incremental = json.loads(json.dumps(incremental))  # stored and read back between events
    assert incremental == s.view()
