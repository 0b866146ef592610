"""Re-alignment checks: a hand-built case for every rule, the policy, and the recorded event."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from plan_harness import START, Harness, new_id

from domain import commands as c
from domain.alignment import AlignmentPolicy, Finding, check_alignment
from domain.alignment_policy import ACTIONS, RULES, SEVERITIES
from domain.errors import AlignmentCheckAlreadyRecorded, ClientNotEnrolled, InvalidAlignmentPolicy
from domain.events import AlignmentChecked, GoalSet, event_from_data, event_to_data
from domain.upcasters import upcast
from domain.values import Contribution, Measure, TermsPatch


def found(h: Harness, rule: str, today: date | None = None, **policy) -> list[Finding]:
    """The findings of one rule for the harness's plan on `today` (default: the harness's today)."""
    return [
        f
        for f in check_alignment(h.plan, today or h.today, AlignmentPolicy(**policy))
        if f.rule == rule
    ]


def subjects(findings: list[Finding]) -> list[str | None]:
    return [f.goal_id or f.requirement_id for f in findings]


def milestone(h: Harness, goal_id: str, complete: bool = False) -> str:
    milestone_id = new_id()
    h.run(
        c.AddMilestone(
            goal_id=goal_id, milestone_id=milestone_id, title="Write one page", estimate_minutes=45
        )
    )
    if complete:
        h.run(c.CompleteMilestone(goal_id=goal_id, milestone_id=milestone_id))
    return milestone_id


def test_every_rule_has_a_known_severity_and_action():
    assert all(severity in SEVERITIES and action in ACTIONS for severity, action in RULES.values())


# --- relevance and coverage ---------------------------------------------------
def test_a_goal_serving_only_retired_requirements_serves_no_requirement(harness):
    first, second = harness.requirement_ids[:2]
    lonely = harness.set_goal()
    both = harness.set_goal(serves=(Contribution(first, "a"), Contribution(second, "b")))
    harness.run(c.RetireRequirement(requirement_id=first, reason="not in the role any more"))
    [finding] = found(harness, "goal_serves_no_requirement")
    assert (finding.goal_id, finding.severity, finding.suggested_action) == (
        lonely,
        "critical",
        "replace",
    )
    assert "retired" in finding.message and "Skill 0" in finding.message
    assert both not in subjects(found(harness, "goal_serves_no_requirement"))


def test_requirements_no_open_or_achieved_goal_serves_are_uncovered(harness):
    r = harness.requirement_ids
    harness.set_goal(serves=(Contribution(r[0], "a"),))
    achieved = harness.set_goal(serves=(Contribution(r[1], "b"),))
    harness.run(c.AchieveGoal(goal_id=achieved))
    paused = harness.set_goal(serves=(Contribution(r[2], "c"),))
    harness.run(c.PauseGoal(goal_id=paused))
    dropped = harness.set_goal(serves=(Contribution(r[3], "d"),))
    harness.run(c.DropGoal(goal_id=dropped, reason="changed teams"))
    findings = found(harness, "requirement_uncovered")
    assert subjects(findings) == [r[3], r[4]]
    assert {(f.severity, f.suggested_action, f.goal_id) for f in findings} == {
        ("warning", "add goal", None)
    }


# --- SMART, length, horizon -----------------------------------------------------
def test_a_legacy_goal_without_a_target_is_not_smart(harness):
    v1 = {
        "occurred_at": START.isoformat(),
        "goal_id": "legacy",
        "statement": "Get better at design",
        "category": "skill",
        "metric_name": "designs reviewed",
        "baseline": 0,
        "target": None,
        "unit": "",
        "confidence": 6,
        "serves": [{"requirement_id": harness.requirement_ids[0], "how_it_leads": "Depth."}],
        "start_on": harness.today.isoformat(),
        "due_on": (harness.today + timedelta(days=60)).isoformat(),
    }
    harness.plan.apply(event_from_data("GoalSet", upcast("GoalSet", 1, v1)))
    done = harness.set_goal(measure=Measure.done("talk given"))
    [finding] = found(harness, "goal_not_smart")
    assert (finding.goal_id, finding.summary) == ("legacy", "not SMART: no measurable target")
    assert (finding.severity, finding.suggested_action) == ("warning", "tweak")
    assert done not in subjects(found(harness, "goal_not_smart"))


def test_a_goal_without_a_due_date_is_not_smart_and_skips_the_time_rules(harness):
    terms = harness.terms(due_on=None, measure=Measure("", None, None))
    harness.plan.apply(GoalSet(occurred_at=harness.now, goal_id="undated", terms=terms))
    findings = check_alignment(harness.plan, harness.today + timedelta(days=400), AlignmentPolicy())
    [finding] = [f for f in findings if f.goal_id == "undated"]
    assert finding.summary == "not SMART: no measurable target and no due date"


def test_a_goal_longer_than_the_policy_allows_is_too_long(harness):
    long = harness.set_goal(due_on=harness.today + timedelta(days=300))
    assert not found(harness, "goal_too_long")
    [finding] = found(harness, "goal_too_long", max_goal_months=6)
    assert finding.goal_id == long and finding.summary.startswith("runs longer than 6 months")
    legacy = harness.terms(due_on=harness.today + timedelta(days=800))
    harness.plan.apply(GoalSet(occurred_at=harness.now, goal_id="legacy", terms=legacy))
    assert subjects(found(harness, "goal_too_long")) == ["legacy"]


def test_a_goal_due_after_the_destination_horizon_is_flagged(harness):
    late = harness.set_goal(due_on=harness.today + timedelta(days=120))
    harness.set_goal(due_on=harness.today + timedelta(days=50))
    harness.run(c.ReviseDestination(horizon=harness.today + timedelta(days=100)))
    [finding] = found(harness, "goal_due_after_horizon")
    horizon = harness.today + timedelta(days=100)
    assert (finding.goal_id, finding.severity, finding.suggested_action) == (
        late,
        "warning",
        "tweak",
    )
    assert (
        finding.summary
        == f"due {harness.today + timedelta(days=120)}, after the destination's horizon {horizon}"
    )


# --- chains ------------------------------------------------------------------------
def test_a_goal_following_a_dropped_goal_is_flagged_for_replacement(harness):
    first = harness.set_goal(statement="Lead a small project")
    then = harness.set_goal(statement="Get feedback", follows=(first,))
    harness.run(c.DropGoal(goal_id=first, reason="project cancelled"))
    [finding] = found(harness, "follows_dropped_goal")
    assert (finding.goal_id, finding.severity, finding.suggested_action) == (
        then,
        "warning",
        "replace",
    )
    assert (
        finding.summary == "follows dropped goal 'Lead a small project'"
        and "project cancelled" in finding.message
    )


def test_a_goal_following_a_replaced_goal_is_told_to_follow_the_replacement(harness):
    first = harness.set_goal(statement="Lead a small project")
    then = harness.set_goal(statement="Get feedback", follows=(first,))
    harness.run(
        c.ReplaceGoal(
            goal_id=first,
            replacement=c.SetGoal(
                goal_id="better", terms=harness.terms(statement="Lead a cross-team project")
            ),
        )
    )
    [finding] = found(harness, "follows_replaced_goal")
    assert (finding.goal_id, finding.severity, finding.suggested_action) == (then, "info", "tweak")
    assert "'Lead a cross-team project' (id better)" in finding.message


# --- progress: overdue, stalled, pace, milestones ----------------------------------------
def test_an_active_goal_past_its_due_date_is_overdue(harness):
    late = harness.set_goal(due_on=harness.today + timedelta(days=10))
    assert not found(harness, "goal_overdue", harness.today + timedelta(days=10))
    [finding] = found(harness, "goal_overdue", harness.today + timedelta(days=15))
    assert (finding.goal_id, finding.severity, finding.suggested_action) == (
        late,
        "critical",
        "tweak",
    )
    assert finding.summary == f"overdue by 5 days, due {harness.today + timedelta(days=10)}"


def test_a_goal_without_a_win_for_the_stall_days_is_stalled(harness):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=300))
    milestone(harness, gid)
    assert not found(harness, "goal_stalled", harness.today + timedelta(days=20))
    [finding] = found(harness, "goal_stalled", harness.today + timedelta(days=21))
    assert (finding.goal_id, finding.summary) == (gid, "stalled: no win for 21 days")
    assert not found(harness, "goal_stalled", harness.today + timedelta(days=21), stall_days=30)


@pytest.mark.parametrize("win", ["milestone", "forward check-in", "reopened after achieving"])
def test_each_kind_of_win_restarts_the_quiet_spell(harness, win):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=300))
    milestone(harness, gid)
    harness.advance(days=10)
    if win == "milestone":
        milestone(harness, gid, complete=True)
    elif win == "forward check-in":
        harness.run(c.RecordCheckIn(goal_id=gid, check_in_id="k1", value=2, confidence=7))
    else:
        harness.run(c.AchieveGoal(goal_id=gid))
        harness.run(c.ReopenGoal(goal_id=gid, reason="one more module"))
    assert not found(harness, "goal_stalled", harness.today + timedelta(days=20))
    assert found(harness, "goal_stalled", harness.today + timedelta(days=21))


def test_a_backward_check_in_is_not_a_win(harness):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=300))
    harness.advance(days=10)
    harness.run(c.RecordCheckIn(goal_id=gid, check_in_id="k1", value=0, confidence=7))
    assert subjects(found(harness, "goal_stalled", harness.today + timedelta(days=11))) == [gid]


def test_days_paused_do_not_count_toward_a_stall_and_future_goals_never_stall(harness):
    day0 = harness.today
    gid = harness.set_goal(due_on=day0 + timedelta(days=300))
    later = harness.set_goal(start_on=day0 + timedelta(days=200), due_on=day0 + timedelta(days=300))
    harness.advance(days=5)
    harness.run(c.PauseGoal(goal_id=gid))
    harness.advance(days=10)
    harness.run(c.ResumeGoal(goal_id=gid))
    assert not found(
        harness, "goal_stalled", day0 + timedelta(days=30)
    )  # 30 days, 10 of them paused
    [finding] = found(harness, "goal_stalled", day0 + timedelta(days=31))
    assert (finding.goal_id, finding.summary) == (gid, "stalled: no win for 21 days")
    assert later not in subjects(found(harness, "goal_stalled", day0 + timedelta(days=150)))


def test_pace_is_at_risk_when_expected_progress_runs_ahead_by_more_than_the_gap(harness):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=100))
    harness.advance(days=50)
    harness.run(c.RecordCheckIn(goal_id=gid, check_in_id="k1", value=3, confidence=6))
    assert not found(harness, "pace_at_risk")  # 50% expected, 30% done: behind, not at risk
    [finding] = found(harness, "pace_at_risk", pace_at_risk_gap=0.15)
    assert (finding.goal_id, finding.summary) == (gid, "pace at risk: 30% done, 50% expected")
    harness.run(
        c.RecordCheckIn(goal_id=gid, check_in_id="k2", value=2, corrects="k1", confidence=6)
    )
    assert subjects(found(harness, "pace_at_risk")) == [gid]
    assert not found(harness, "pace_at_risk", harness.today + timedelta(days=51)), (
        "overdue, not pace, after due"
    )


def test_a_done_or_not_done_goal_is_paced_on_its_milestones(harness):
    gid = harness.set_goal(
        measure=Measure.done("talk given"), due_on=harness.today + timedelta(days=100)
    )
    for complete in (True, True, False, False):
        milestone(harness, gid, complete=complete)
    assert not found(
        harness, "pace_at_risk", harness.today + timedelta(days=70)
    )  # 50% done, 70% expected
    assert found(harness, "pace_at_risk", harness.today + timedelta(days=80))


def test_an_active_started_goal_with_no_open_milestone_needs_a_next_step(harness):
    bare = harness.set_goal()
    planned = harness.set_goal()
    milestone(harness, planned)
    finished = harness.set_goal()
    milestone(harness, finished, complete=True)
    harness.set_goal(
        start_on=harness.today + timedelta(days=30), due_on=harness.today + timedelta(days=90)
    )
    findings = found(harness, "no_open_milestone")
    assert subjects(findings) == [bare, finished]
    assert {(f.severity, f.suggested_action) for f in findings} == {("info", "tweak")}


def test_paused_goals_are_exempt_from_overdue_stall_pace_and_milestone_rules(harness):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=30))
    harness.run(c.RetireRequirement(requirement_id=harness.requirement_ids[0]))
    harness.run(c.PauseGoal(goal_id=gid))
    findings = check_alignment(harness.plan, harness.today + timedelta(days=90), AlignmentPolicy())
    assert {f.rule for f in findings if f.goal_id == gid} == {"goal_serves_no_requirement"}
    harness.run(c.ResumeGoal(goal_id=gid))
    findings = check_alignment(harness.plan, harness.today + timedelta(days=90), AlignmentPolicy())
    assert {"goal_overdue", "no_open_milestone"} <= {f.rule for f in findings if f.goal_id == gid}


# --- plan-wide rules ---------------------------------------------------------------------
def test_too_many_goals_in_progress_at_once(harness):
    goals = [harness.set_goal() for _ in range(7)]
    harness.set_goal(
        start_on=harness.today + timedelta(days=30), due_on=harness.today + timedelta(days=90)
    )
    [finding] = found(harness, "too_many_active_goals")
    assert (finding.summary, finding.goal_id, finding.severity) == (
        "7 goals in progress, at most 6 recommended",
        None,
        "warning",
    )
    harness.run(c.PauseGoal(goal_id=goals[0]))
    assert not found(harness, "too_many_active_goals")
    assert found(harness, "too_many_active_goals", max_active_goals=3)


def test_a_review_falls_due_a_cadence_after_enrolment_or_the_last_review(harness):
    due = date(2026, 4, 15)
    assert not found(harness, "review_due", due - timedelta(days=1))
    [finding] = found(harness, "review_due", due)
    assert (finding.severity, finding.suggested_action) == ("info", "keep")
    assert "never reviewed since enrolment on 2026-01-15" in finding.message
    harness.advance(days=30)
    harness.run(c.StartReview(review_id="r1"))
    assert not found(harness, "review_due", due), "a review in progress is not due"
    harness.run(c.CompleteReview(review_id="r1"))
    assert not found(harness, "review_due", due)
    assert "last review 2026-02-14" in found(harness, "review_due", date(2026, 5, 14))[0].message


# --- ordering, policy ---------------------------------------------------------------------
def test_findings_come_most_severe_first_in_catalogue_order_and_can_be_switched_off(harness):
    harness.set_goal(due_on=harness.today + timedelta(days=10))
    harness.run(c.RetireRequirement(requirement_id=harness.requirement_ids[0]))
    findings = check_alignment(harness.plan, harness.today + timedelta(days=40), AlignmentPolicy())
    order = [(SEVERITIES.index(f.severity), list(RULES).index(f.rule)) for f in findings]
    assert order == sorted(order) and findings[0].rule == "goal_serves_no_requirement"
    assert findings == check_alignment(
        harness.plan, harness.today + timedelta(days=40), AlignmentPolicy()
    )
    quiet = AlignmentPolicy(disabled_rules=("requirement_uncovered", "goal_overdue"))
    assert {
        f.rule for f in check_alignment(harness.plan, harness.today + timedelta(days=40), quiet)
    } == {f.rule for f in findings} - {"requirement_uncovered", "goal_overdue"}


def test_a_policy_round_trips_through_its_stored_form():
    policy = AlignmentPolicy(
        stall_days=14,
        max_active_goals=4,
        pace_at_risk_gap=0.3,
        max_goal_months=18,
        disabled_rules=["review_due"],
    )
    assert policy.disabled_rules == ("review_due",)
    assert AlignmentPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy
    assert AlignmentPolicy.from_dict({}) == AlignmentPolicy()
    assert AlignmentPolicy.from_dict({"pace_at_risk_gap": 1}).pace_at_risk_gap == 1.0


@pytest.mark.parametrize(
    "data",
    [
        {"stall_days": 0},
        {"stall_days": "21"},
        {"stall_days": True},
        {"max_active_goals": 51},
        {"pace_at_risk_gap": 0},
        {"pace_at_risk_gap": float("nan")},
        {"max_goal_months": 25},
        {"disabled_rules": ["no_such_rule"]},
        {"disabled_rules": "review_due"},
        {"surprise": 1},
        [],
    ],
)
def test_a_policy_out_of_range_is_refused(data):
    with pytest.raises(InvalidAlignmentPolicy) as raised:
        AlignmentPolicy.from_dict(data)
    assert raised.value.code == "invalid_alignment_policy"


# --- the command and its event ----------------------------------------------------------
def test_recording_a_check_records_the_findings_of_the_client_s_today(harness):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=10))
    harness.advance(days=40)
    policy = {"stall_days": 30, "max_active_goals": 2}
    [event] = harness.run(c.RecordAlignmentCheck(check_id="2026-02-24/daily", policy=policy))
    assert isinstance(event, AlignmentChecked) and event.schema_version == 1
    assert event.policy == AlignmentPolicy.from_dict(policy)
    assert event.findings == check_alignment(harness.plan, harness.today, event.policy)
    assert {"goal_overdue", "goal_stalled"} <= {f.rule for f in event.findings if f.goal_id == gid}
    check = harness.plan.last_alignment_check
    assert (check.check_id, check.checked_at, check.findings) == (
        "2026-02-24/daily",
        harness.now,
        event.findings,
    )
    data = json.loads(json.dumps(event_to_data(event)))
    assert event_from_data("AlignmentChecked", data) == event
    assert (
        data["findings"][0]["rule"] == event.findings[0].rule and data["policy"]["stall_days"] == 30
    )


def test_a_check_id_already_recorded_is_refused_so_a_redelivery_records_nothing(harness):
    harness.run(c.RecordAlignmentCheck(check_id="slot-1"))
    harness.advance(days=1)
    harness.run(c.RecordAlignmentCheck(check_id="slot-2"))
    error = harness.refuse(c.RecordAlignmentCheck(check_id="slot-1"), AlignmentCheckAlreadyRecorded)
    assert error.code == "alignment_check_already_recorded"
    assert harness.plan.last_alignment_check.check_id == "slot-2"


def test_a_check_needs_an_enrolled_client_and_a_valid_policy(empty, harness):
    empty.refuse(c.RecordAlignmentCheck(check_id="slot-1"), ClientNotEnrolled)
    harness.refuse(
        c.RecordAlignmentCheck(check_id="slot-1", policy={"stall_days": -1}), InvalidAlignmentPolicy
    )
    harness.refuse(
        c.RecordAlignmentCheck(check_id="slot-1", policy=AlignmentPolicy(max_active_goals=0)),
        InvalidAlignmentPolicy,
    )


def test_a_plan_with_nothing_to_flag_records_an_empty_check(harness):
    for requirement_id in harness.requirement_ids:
        gid = harness.set_goal(serves=(Contribution(requirement_id, "Builds it."),))
        milestone(harness, gid)
    [event] = harness.run(c.RecordAlignmentCheck(check_id="slot-1"))
    assert event.findings == ()


def test_the_check_judges_on_the_client_s_own_calendar(empty):
    empty.run(
        c.EnrolClient(
            client_id=new_id(),
            organisation_id=new_id(),
            coach_id=new_id(),
            display_name="Ana",
            timezone="Pacific/Auckland",
        )
    )
    # Enrolled 2026-01-16 01:00 in Auckland, so the review falls due on 2026-04-16 there (UTC+12 in April).
    empty.now = datetime(2026, 4, 15, 11, 59, tzinfo=timezone.utc)
    [before] = empty.run(c.RecordAlignmentCheck(check_id="a"))
    empty.now = datetime(2026, 4, 15, 12, 0, tzinfo=timezone.utc)
    [after] = empty.run(c.RecordAlignmentCheck(check_id="b"))
    assert [f.rule for f in before.findings] == [] and [f.rule for f in after.findings] == [
        "review_due"
    ]


def test_a_refined_goal_clears_its_findings(harness):
    gid = harness.set_goal(due_on=harness.today + timedelta(days=300))
    harness.run(c.RetireRequirement(requirement_id=harness.requirement_ids[0]))
    assert found(harness, "goal_serves_no_requirement")
    harness.run(
        c.RefineGoal(
            goal_id=gid,
            changes=TermsPatch(serves=(Contribution(harness.requirement_ids[1], "Builds it."),)),
        )
    )
    assert not found(harness, "goal_serves_no_requirement")


def test_the_seed_s_worked_example_is_well_aligned_when_set_up():
    from careerplan.seed_example import seed_example_commands

    h = Harness()
    for command in seed_example_commands(new_id(), new_id(), new_id(), h.today):
        h.run(command)
    [event] = h.run(c.RecordAlignmentCheck(check_id="first"))
    assert event.findings == ()
