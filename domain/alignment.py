"""The re-alignment check: does each goal still point toward the destination, and is it moving?

`check_alignment(plan, today, policy)` is pure: it judges the plan as it stands
on the client's `today` and returns findings, most severe first (each rule's
severity and suggested action are in `domain.alignment_policy.RULES`).
Open (active or paused) goals are checked for relevance, SMART terms, length
and chain; paused goals are exempt from the overdue, stall and pace rules, and
goals not started yet from the stall, pace, milestone and focus rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.alignment_policy import AlignmentPolicy, Finding, finding, sort_key
from domain.dates import add_months, local_today
from domain.goal import ACHIEVED, ACTIVE, DROPPED, REPLACED, Goal
from domain.goal_formulas import expected_progress, quiet
from domain.text import quoted

if TYPE_CHECKING:
    from domain.plan import CareerPlan

__all__ = ["AlignmentCheck", "AlignmentPolicy", "Finding", "check_alignment"]


@dataclass
class AlignmentCheck:
    """The latest re-alignment check recorded on a plan: its id, when it ran, and what it found."""

    check_id: str
    checked_at: datetime
    findings: tuple[Finding, ...]


def check_alignment(
    plan: CareerPlan, today: date, policy: AlignmentPolicy = AlignmentPolicy()
) -> tuple[Finding, ...]:
    """What a coach should look at in `plan` on the client's `today`, under the organisation's `policy`."""
    found = [
        item
        for goal in plan.goals.values()
        if goal.is_open
        for item in _goal_findings(plan, goal, today, policy)
    ]
    found += _requirement_findings(plan)
    found += _plan_findings(plan, today, policy)
    return tuple(
        sorted((item for item in found if item.rule not in policy.disabled_rules), key=sort_key)
    )


def _timed(goal: Goal) -> bool:
    return isinstance(goal.terms.start_on, date) and isinstance(goal.terms.due_on, date)


def _goal_findings(
    plan: CareerPlan, goal: Goal, today: date, policy: AlignmentPolicy
) -> Iterator[Finding]:
    label, terms = goal.label, goal.terms
    served = [
        plan.requirements[c.requirement_id]
        for c in terms.serves
        if c.requirement_id in plan.requirements
    ]
    if not any(requirement.is_active for requirement in served):
        retired = ", ".join(requirement.label for requirement in served)
        why = (
            f"the requirements it serves were retired ({retired})"
            if served
            else "it names no requirement"
        )
        yield finding(
            "goal_serves_no_requirement",
            "serves no active requirement",
            f"goal {label} no longer leads toward the destination: {why}. Replace it with a goal that "
            "serves an active requirement, or tweak it to serve one",
            goal_id=goal.goal_id,
        )
    gaps = _smart_gaps(goal)
    if gaps:
        yield finding(
            "goal_not_smart",
            f"not SMART: {' and '.join(gaps)}",
            f"goal {label} is not SMART: {' and '.join(gaps)}. Tweak it: give a metric with baseline and "
            "target (or what counts as done) and a due date within 2 years",
            goal_id=goal.goal_id,
        )
    yield from _chain_findings(plan, goal)
    if not _timed(goal):
        return
    start, due, months = terms.start_on, terms.due_on, policy.max_goal_months
    if due > add_months(start, months):
        yield finding(
            "goal_too_long",
            f"runs longer than {months} months: {start} to {due}",
            f"goal {label} runs from {start} to {due}, longer than {months} months: split it into a chain "
            f"of shorter goals, the first due by {add_months(start, months)}",
            goal_id=goal.goal_id,
        )
    horizon = plan.destination.horizon if plan.destination else None
    if horizon is not None and due > horizon:
        yield finding(
            "goal_due_after_horizon",
            f"due {due}, after the destination's horizon {horizon}",
            f"goal {label} is due {due}, after the destination's horizon ({horizon}): bring the due date "
            "forward, or revise the destination's horizon",
            goal_id=goal.goal_id,
        )
    if goal.status == ACTIVE:
        yield from _progress_findings(plan, goal, today, policy)


def _smart_gaps(goal: Goal) -> list[str]:
    measure, gaps = goal.terms.measure, []
    if (
        measure is None
        or not str(measure.name or "").strip()
        or not measure.is_binary
        and (
            measure.baseline is None or measure.target is None or measure.baseline == measure.target
        )
    ):
        gaps.append("no measurable target")
    if not isinstance(goal.terms.due_on, date):
        gaps.append("no due date")
    return gaps


def _chain_findings(plan: CareerPlan, goal: Goal) -> Iterator[Finding]:
    for earlier in (plan.goals[goal_id] for goal_id in goal.terms.follows if goal_id in plan.goals):
        if earlier.status == DROPPED:
            yield finding(
                "follows_dropped_goal",
                f"follows dropped goal {quoted(earlier.terms.statement)}",
                f"goal {goal.label} builds on {earlier.label}, which was dropped"
                f"{': ' + earlier.close_note if earlier.close_note else ''}. Replace it, or tweak it to "
                "follow a goal still in the plan",
                goal_id=goal.goal_id,
            )
        elif earlier.status == REPLACED:
            successor = plan.goals.get(earlier.replaced_by)
            name = successor.label if successor else f"goal {earlier.replaced_by}"
            yield finding(
                "follows_replaced_goal",
                f"follows replaced goal {quoted(earlier.terms.statement)}",
                f"goal {goal.label} follows {earlier.label}, which was replaced by {name}: tweak it to "
                "follow the replacement",
                goal_id=goal.goal_id,
            )


def _progress_findings(
    plan: CareerPlan, goal: Goal, today: date, policy: AlignmentPolicy
) -> Iterator[Finding]:
    label, start, due = goal.label, goal.terms.start_on, goal.terms.due_on
    if due < today:
        days = (today - due).days
        yield finding(
            "goal_overdue",
            f"overdue by {days} days, due {due}",
            f"goal {label} was due {due} ({days} days ago) and is not achieved: mark it achieved, "
            "move the due date, or drop it",
            goal_id=goal.goal_id,
        )
    if start > today:
        return
    days, since = quiet(goal.last_win_at, goal.active_since, start, goal.pause_spans, today)
    if days >= policy.stall_days:
        yield finding(
            "goal_stalled",
            f"stalled: no win for {int(days)} days",
            f"goal {label} has had no win for {int(days)} days (since "
            f"{local_today(since, None)}): plan a 30–60 minute milestone the client can finish "
            "this week, or tweak the goal if it no longer fits",
            goal_id=goal.goal_id,
        )
    expected, actual = expected_progress(start, due, today, goal.pause_spans), goal.progress
    if due >= today and expected - actual > policy.pace_at_risk_gap:
        yield finding(
            "pace_at_risk",
            f"pace at risk: {actual:.0%} done, {expected:.0%} expected",
            f"goal {label} is {actual:.0%} of the way to its target but {expected:.0%} of its time has "
            f"passed (due {due}): tweak the target or due date, or plan more milestones",
            goal_id=goal.goal_id,
        )
    if not any(milestone.status == "open" for milestone in goal.milestones.values()):
        yield finding(
            "no_open_milestone",
            "has no open milestone",
            f"goal {label} has no open milestone: add the next 30–60 minute step",
            goal_id=goal.goal_id,
        )


def _requirement_findings(plan: CareerPlan) -> Iterator[Finding]:
    served = {
        c.requirement_id
        for goal in plan.goals.values()
        if goal.is_open or goal.status == ACHIEVED
        for c in goal.terms.serves
    }
    for requirement in plan.active_requirements:
        if requirement.requirement_id not in served:
            yield finding(
                "requirement_uncovered",
                "covered by no goal",
                f"requirement {requirement.label} is covered by no active or achieved goal: add a goal "
                "that builds it",
                requirement_id=requirement.requirement_id,
            )


def _plan_findings(plan: CareerPlan, today: date, policy: AlignmentPolicy) -> Iterator[Finding]:
    started = [
        g
        for g in plan.goals.values()
        if g.status == ACTIVE and (not _timed(g) or g.terms.start_on <= today)
    ]
    if len(started) > policy.max_active_goals:
        most = policy.max_active_goals
        yield finding(
            "too_many_active_goals",
            f"{len(started)} goals in progress, at most {most} recommended",
            f"{len(started)} goals are in progress at once, more than the {most} recommended: pause or "
            "drop the ones that matter least, so the client can focus",
        )
    due = plan.next_review_due()
    if due is not None and due <= today and plan.open_review_id is None:
        last = plan.last_review_completed_at
        since = (
            f"last review {local_today(last, plan.timezone)}"
            if last
            else f"never reviewed since enrolment on {local_today(plan.enrolled_at, plan.timezone)}"
        )
        yield finding(
            "review_due",
            f"review due since {due}",
            f"the review is due since {due} ({since}; every {plan.review_cadence_months} months): start "
            "it and decide keep, tweak or replace for each goal",
        )
