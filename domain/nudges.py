"""Nudges: is a quiet client due a reminder on day D, about which goal, with which next step?

`due_nudge(plan, day, policy)` is pure. A client is quiet while they neither
check in nor complete a milestone (nor achieve a goal), in business time
(`occurred_at`, on the client's calendar). A goal is a candidate when it is
active (not paused, achieved, dropped or replaced) and started; its quiet
spell also restarts when it was set, reopened or resumed, and when the client
was enrolled or reactivated. The client is due once a candidate has been
quiet `quiet_days`, and at most every `min_days_between` days; the nudge
names the candidate quiet longest (one with an open milestone first) and its
next open milestone (None: the nudge suggests adding one).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain.dates import local_today
from domain.errors import InvalidNudgePolicy
from domain.goal import ACHIEVED, ACTIVE, Goal

if TYPE_CHECKING:
    from domain.plan import CareerPlan

_LIMITS = {"quiet_days": (1, 90), "min_days_between": (1, 90)}


@dataclass(frozen=True, kw_only=True)
class NudgePolicy:
    """An organisation's nudge settings; off until the organisation opts in."""

    enabled: bool = False
    quiet_days: int = 7
    min_days_between: int = 7

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> NudgePolicy:
        """The policy stored as `data` (None: the defaults); unknown settings are refused."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise InvalidNudgePolicy(f"a nudge policy is an object of settings, got {data!r}")
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise InvalidNudgePolicy(
                f"a nudge policy has no setting(s) {', '.join(sorted(unknown))}"
            )
        return cls(**data).checked()

    def to_dict(self) -> dict[str, Any]:
        """The policy as JSON-safe data for an organisation's settings."""
        return asdict(self)

    def checked(self) -> NudgePolicy:
        """This policy, after refusing settings out of range."""
        if not isinstance(self.enabled, bool):
            raise InvalidNudgePolicy(f"enabled is true or false, got {self.enabled!r}")
        for name, (low, high) in _LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidNudgePolicy(
                    f"{name} must be a whole number of days from {low} to {high}, got {value!r}"
                )
        return self


@dataclass(frozen=True)
class Nudge:
    """What a due nudge says: the goal, its next open milestone (or None) and how long all was quiet."""

    goal_id: str
    goal_statement: str
    milestone_id: str | None
    milestone_title: str | None
    quiet_days: int


def last_activity(plan: CareerPlan) -> datetime | None:
    """When the client last checked in (corrections aside), completed a milestone or achieved a goal."""
    moments = [
        moment
        for goal in plan.goals.values()
        for moment in (
            *(c.occurred_at for c in goal.check_ins if c.corrects is None),
            *(m.completed_at for m in goal.milestones.values()),
            *(p.closed_at for p in goal.past_lifecycles if p.outcome == ACHIEVED),
            goal.closed_at if goal.status == ACHIEVED else None,
        )
        if moment is not None
    ]
    return max(moments, default=None)


def _quiet_since(plan: CareerPlan, goal: Goal, last: datetime | None) -> datetime:
    resumed = [pause.ended_at for pause in goal.pauses if pause.ended_at is not None]
    moments = [last, plan.enrolled_at, plan.reactivated_at, goal.active_since, *resumed]
    return max(moment for moment in moments if moment is not None)


def _candidate(goal: Goal, day: date) -> bool:
    start = goal.terms.start_on
    return goal.status == ACTIVE and (not isinstance(start, date) or start <= day)


def due_nudge(plan: CareerPlan, day: date, policy: NudgePolicy) -> Nudge | None:
    """The nudge the client is due on `day` (their calendar) under `policy`, or None."""
    if not policy.enabled or not plan.is_enrolled or plan.archived_at is not None:
        return None
    if plan.last_nudge_on is not None and (day - plan.last_nudge_on).days < policy.min_days_between:
        return None
    last = last_activity(plan)
    quiet = {
        goal.goal_id: (day - local_today(_quiet_since(plan, goal, last), plan.timezone)).days
        for goal in plan.goals.values()
        if _candidate(goal, day)
    }
    due = [plan.goals[goal_id] for goal_id, days in quiet.items() if days >= policy.quiet_days]
    if not due:
        return None
    goal = min(due, key=lambda g: (_next_milestone(g) is None, -quiet[g.goal_id], g.goal_id))
    milestone = _next_milestone(goal)
    return Nudge(
        goal_id=goal.goal_id,
        goal_statement=goal.terms.statement,
        milestone_id=milestone.milestone_id if milestone else None,
        milestone_title=milestone.title if milestone else None,
        quiet_days=quiet[goal.goal_id],
    )


def _next_milestone(goal: Goal):
    """The goal's first open milestone in the order they were added, or None."""
    return next((m for m in goal.milestones.values() if m.status == "open"), None)
