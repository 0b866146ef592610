"""SMART checks on a goal's terms, and the chain rules: follow existing, undropped goals, never in a loop.

On a new goal every field is checked; on a refinement only the changed
fields (and the dates they touch), so a goal whose requirement was retired
can still have its due date moved.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import datetime, timedelta

from domain.dates import add_months
from domain.errors import (
    ChainCycle,
    DueBeyondTwoYears,
    DueInPast,
    DueNotAfterStart,
    DuplicateReference,
    FollowsDroppedGoal,
    GoalNotFound,
    GoalServesNothing,
    InvalidMeasure,
    RequirementNotActive,
    StartTooEarly,
    TargetEqualsBaseline,
    UnknownGoalCategory,
)
from domain.goal import DROPPED, goal_label
from domain.rules.base import PlanRules, check_confidence
from domain.rules.destination import check_calendar_date
from domain.text import require_text
from domain.values import GOAL_CATEGORIES, Contribution, GoalTerms, Measure

MAX_GOAL_MONTHS = 24
# How long before the day a goal is set it may already have started: work begun last month counts,
# a start years back is a typo (back-fill an old goal by setting it as of when it was set).
MAX_START_BACKDATE_DAYS = 90


def checked_measure(measure: Measure) -> Measure:
    """A metric with distinct, finite baseline and target, or a done/not-done criterion."""
    name = require_text(measure.name, "the measure (metric name, or what counts as done)")
    if measure.is_binary:
        return Measure.done(name)
    numbers = (measure.baseline, measure.target)
    if any(value is None for value in numbers):
        raise InvalidMeasure(
            "give a metric both a baseline and a target, or neither for a done/not-done goal"
        )
    if any(
        isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
        for v in numbers
    ):
        raise InvalidMeasure(f"a metric's baseline and target are finite numbers, got {numbers!r}")
    if measure.baseline == measure.target:
        raise TargetEqualsBaseline(
            f"the target of {name!r} equals its baseline ({measure.baseline}): nothing to achieve"
        )
    return Measure.metric(name, measure.baseline, measure.target, (measure.unit or "").strip())


class SmartChecks(PlanRules):
    """Checks that a goal is specific, measurable, achievable, relevant, time-bound and well chained."""

    def _checked_terms(
        self, goal_id: str, terms: GoalTerms, now: datetime, changed: Collection[str]
    ) -> GoalTerms:
        """The terms with text trimmed, after checking the `changed` fields."""
        values = terms.as_dict()
        if "statement" in changed:
            values["statement"] = require_text(terms.statement, "the goal statement")
        label = goal_label(goal_id, values["statement"])
        if "category" in changed and terms.category not in GOAL_CATEGORIES:
            raise UnknownGoalCategory(
                f"a goal's category is one of {', '.join(GOAL_CATEGORIES)}; got {terms.category!r}"
            )
        if "measure" in changed:
            values["measure"] = checked_measure(terms.measure)
        if "confidence" in changed:
            check_confidence(terms.confidence, f"confidence in goal {label}")
        if "serves" in changed:
            values["serves"] = self._checked_serves(label, terms.serves)
        if {"start_on", "due_on"} & set(changed):
            self._check_dates(
                label,
                terms,
                now,
                due_changed="due_on" in changed,
                start_changed="start_on" in changed,
            )
        if "follows" in changed:
            self._check_follows(goal_id, label, terms.follows)
        return GoalTerms(**values)

    def _checked_serves(
        self, label: str, serves: tuple[Contribution, ...]
    ) -> tuple[Contribution, ...]:
        if not serves:
            if not self.active_requirements:
                raise GoalServesNothing(
                    f"goal {label} must serve at least one requirement of the destination, and this plan has none "
                    "yet: add the 5–10 skills, experiences and credentials the destination role needs first, "
                    "then say which one the goal serves and how it leads there"
                )
            raise GoalServesNothing(
                f"goal {label} must serve at least one requirement of the destination: say which (one of "
                f"{len(self.active_requirements)} active requirements), and how it leads there"
            )
        ids = [contribution.requirement_id for contribution in serves]
        if len(set(ids)) != len(ids):
            raise DuplicateReference(f"goal {label} names a requirement twice; give each one once")
        checked = []
        for contribution in serves:
            requirement = self._requirement(contribution.requirement_id)
            if not requirement.is_active:
                raise RequirementNotActive(
                    f"goal {label} cannot serve requirement {requirement.label}: it was retired"
                )
            how = require_text(
                contribution.how_it_leads,
                f"how goal {label} leads to requirement {requirement.label}",
            )
            checked.append(Contribution(requirement.requirement_id, how))
        return tuple(checked)

    def _check_dates(
        self,
        label: str,
        terms: GoalTerms,
        now: datetime,
        due_changed: bool,
        start_changed: bool = False,
    ) -> None:
        start = check_calendar_date(terms.start_on, "the goal's start date")
        due = check_calendar_date(terms.due_on, "the goal's due date")
        if due <= start:
            raise DueNotAfterStart(f"goal {label} is due {due}, not after its start {start}")
        today = self._today(now)
        if start_changed:
            self._check_start(label, start, today)
        limit = add_months(start, MAX_GOAL_MONTHS)
        if due > limit:
            raise DueBeyondTwoYears(
                f"goal {label} runs past 2 years (start {start}, due {due}): make it due by {limit} "
                "or split it into a chain of goals"
            )
        if due_changed and due < today:
            raise DueInPast(
                f"goal {label} would be due {due}, before today ({today}): choose a later due date"
            )

    @staticmethod
    def _check_start(label: str, start, today) -> None:
        earliest = today - timedelta(days=MAX_START_BACKDATE_DAYS)
        if start < earliest:
            raise StartTooEarly(
                f"goal {label} would start {start}, more than {MAX_START_BACKDATE_DAYS} days before it is set "
                f"({today}): start it on or after {earliest}, or record the goal as of the day it was set "
                "(occurred_at)"
            )

    def _check_follows(self, goal_id: str, label: str, follows: tuple[str, ...]) -> None:
        if len(set(follows)) != len(follows):
            raise DuplicateReference(
                f"goal {label} names a goal it follows twice; give each one once"
            )
        for earlier_id in follows:
            if earlier_id == goal_id:
                raise ChainCycle(f"goal {label} cannot follow itself")
            if earlier_id not in self.goals:
                raise GoalNotFound(
                    f"goal {label} cannot follow goal {earlier_id}: this plan has no such goal"
                )
            earlier = self.goals[earlier_id]
            if earlier.status == DROPPED:
                raise FollowsDroppedGoal(f"goal {label} follows {earlier.label}, which was dropped")
            if self._leads_to(earlier_id, goal_id):
                raise ChainCycle(
                    f"goal {label} cannot follow {earlier.label}: that goal already follows it in the chain, "
                    "so the chain would loop"
                )

    def _leads_to(self, start_id: str, target_id: str) -> bool:
        """True if `start_id` follows `target_id`, directly or through other goals."""
        seen: set[str] = set()
        stack = [start_id]
        while stack:
            current = stack.pop()
            if current == target_id:
                return True
            if current in seen or current not in self.goals:
                continue
            seen.add(current)
            stack.extend(self.goals[current].terms.follows)
        return False
