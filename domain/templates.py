"""Programme templates: an organisation's reverse-engineered path to a destination role.

A template's body suggests a destination (with a horizon in years), the role's
5–10 requirements and, per requirement, a chain of SMART goals with their
timing (a start in months from the client's start, or when the goals it
follows are due, and a typical duration of at most 24 months), measure,
confidence, how each leads, and first micro-milestones of 30–60 minutes.
`checked_body` holds a body to those rules; `body_from_data`/`body_to_data`
are its JSON form. What a revision changed is `domain.template_diff`; dating a
body for one client is `domain.template_proposal`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from domain.errors import (
    InvalidTemplate,
    MilestoneEstimateOutOfRange,
    StatementSentenceCount,
    UnknownGoalCategory,
    UnknownTemplateKey,
)
from domain.progress import MILESTONE_NORM_MINUTES
from domain.requirement import MAX_REQUIREMENTS, MIN_REQUIREMENTS
from domain.rules.base import check_confidence
from domain.rules.requirements import check_requirement_kind
from domain.rules.smart import MAX_GOAL_MONTHS, checked_measure
from domain.text import quoted, require_text, sentence_count
from domain.values import GOAL_CATEGORIES, Measure

MAX_KEY_CHARS = 60
MAX_START_MONTH = 120  # a suggested start more than 10 years out is a typo
MAX_HORIZON_YEARS = 20
MAX_GOALS_PER_REQUIREMENT = 10
MAX_MILESTONES_PER_GOAL = 10


@dataclass(frozen=True)
class DestinationSuggestion:
    """The destination a template suggests; its horizon is `horizon_years` after the client's start."""

    statement: str
    role: str
    industry: str
    impact: str
    horizon_years: int


@dataclass(frozen=True)
class MilestoneSuggestion:
    """A first micro-milestone of a suggested goal: a 30–60 minute step."""

    key: str
    title: str
    estimate_minutes: int


@dataclass(frozen=True)
class GoalSuggestion:
    """A suggested SMART goal of a requirement's chain.

    `start_month` counts months from the client's start; None starts it when
    the goals it follows are due (at the client's start if it follows none).
    `follows` names earlier goals by key; None (before `checked_body`) means the
    previous goal of the same requirement's chain. `also_serves` names other
    requirements the goal serves, with the same "how it leads".
    """

    key: str
    statement: str
    category: str
    measure: Measure
    confidence: int
    how_it_leads: str
    duration_months: int
    start_month: int | None = None
    follows: tuple[str, ...] | None = None
    also_serves: tuple[str, ...] = ()
    milestones: tuple[MilestoneSuggestion, ...] = ()


@dataclass(frozen=True)
class RequirementSuggestion:
    """One of the role's requirements, with its chain of suggested goals."""

    key: str
    kind: str
    description: str
    goals: tuple[GoalSuggestion, ...] = ()


@dataclass(frozen=True)
class TemplateBody:
    """What one version of a template suggests."""

    destination: DestinationSuggestion
    requirements: tuple[RequirementSuggestion, ...]

    def goals(self) -> list[tuple[RequirementSuggestion, GoalSuggestion]]:
        """Every suggested goal with its requirement, each after the goals it follows (else in template order).

        Call it on a checked body: its chains hold no loop.
        """
        pending = [(r, g) for r in self.requirements for g in r.goals]
        placed: list[tuple[RequirementSuggestion, GoalSuggestion]] = []
        done: set[str] = set()
        while pending:
            ready = next((p for p in pending if set(p[1].follows or ()) <= done), pending[0])
            pending.remove(ready)
            placed.append(ready)
            done.add(ready[1].key)
        return placed


def _key(value: Any, what: str) -> str:
    key = require_text(value, what)
    if len(key) > MAX_KEY_CHARS:
        raise InvalidTemplate(f"{what} {quoted(key)} is longer than {MAX_KEY_CHARS} characters")
    return key


def _whole(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidTemplate(f"{what} is a whole number from {low} to {high}, got {value!r}")
    return value


def checked_body(body: TemplateBody) -> TemplateBody:
    """The body with text trimmed and every goal's `follows` explicit; raises a DomainError naming the fault."""
    count = len(body.requirements)
    if not MIN_REQUIREMENTS <= count <= MAX_REQUIREMENTS:
        raise InvalidTemplate(
            f"a template lists the {MIN_REQUIREMENTS}–{MAX_REQUIREMENTS} requirements of the role, "
            f"this one {count}"
        )
    destination = _checked_destination(body.destination)
    requirement_keys = [_key(r.key, "a requirement key") for r in body.requirements]
    _refuse_duplicates(requirement_keys, "requirement")
    goal_keys = [_key(g.key, "a goal key") for r in body.requirements for g in r.goals]
    _refuse_duplicates(goal_keys, "goal")
    requirements = []
    for requirement in body.requirements:
        if len(requirement.goals) > MAX_GOALS_PER_REQUIREMENT:
            raise InvalidTemplate(
                f"requirement {quoted(requirement.key)} suggests {len(requirement.goals)} goals; "
                f"at most {MAX_GOALS_PER_REQUIREMENT}"
            )
        goals, previous = [], None
        for goal in requirement.goals:
            goal = _checked_goal(goal, requirement.key, requirement_keys, goal_keys, previous)
            goals.append(goal)
            previous = goal.key
        requirements.append(
            RequirementSuggestion(
                key=requirement.key.strip(),
                kind=check_requirement_kind(requirement.kind),
                description=require_text(requirement.description, "a requirement's description"),
                goals=tuple(goals),
            )
        )
    checked = TemplateBody(destination=destination, requirements=tuple(requirements))
    _refuse_loops(checked)
    return checked


def _refuse_loops(body: TemplateBody) -> None:
    """Refuse goals that follow each other round in a loop (a chain runs one way)."""
    follows = {g.key: set(g.follows or ()) for r in body.requirements for g in r.goals}
    done: set[str] = set()
    while len(done) < len(follows):
        ready = [key for key, before in follows.items() if key not in done and before <= done]
        if not ready:
            looped = sorted(key for key in follows if key not in done)
            raise InvalidTemplate(
                f"goals {', '.join(looped)} follow each other in a loop: a chain runs one way"
            )
        done.update(ready)


def _checked_destination(d: DestinationSuggestion) -> DestinationSuggestion:
    statement = require_text(d.statement, "the suggested destination statement")
    if not 1 <= (sentences := sentence_count(statement)) <= 2:
        raise StatementSentenceCount(
            f"a destination is stated in 1–2 sentences naming role, industry and impact; this one has {sentences}"
        )
    return DestinationSuggestion(
        statement=statement,
        role=require_text(d.role, "the suggested destination role"),
        industry=require_text(d.industry, "the suggested destination industry"),
        impact=require_text(d.impact, "the suggested destination impact"),
        horizon_years=_whole(d.horizon_years, 1, MAX_HORIZON_YEARS, "the horizon in years"),
    )


def _refuse_duplicates(keys: list[str], what: str) -> None:
    doubled = sorted({key for key in keys if keys.count(key) > 1})
    if doubled:
        raise InvalidTemplate(f"each {what} key is used once; {', '.join(doubled)} more than once")


def _checked_goal(
    goal: GoalSuggestion,
    requirement_key: str,
    requirement_keys: list[str],
    goal_keys: list[str],
    previous: str | None,
) -> GoalSuggestion:
    label = quoted(goal.key)
    if goal.category not in GOAL_CATEGORIES:
        raise UnknownGoalCategory(
            f"goal {label}: a category is one of {', '.join(GOAL_CATEGORIES)}; got {goal.category!r}"
        )
    check_confidence(goal.confidence, f"confidence in goal {label}")
    follows = (() if previous is None else (previous,)) if goal.follows is None else goal.follows
    for key in follows:
        if key not in goal_keys or key == goal.key:
            raise UnknownTemplateKey(
                f"goal {label} follows {quoted(key)}, which is not another goal of the template"
            )
    for key in goal.also_serves:
        if key not in requirement_keys or key == requirement_key:
            raise UnknownTemplateKey(
                f"goal {label} also serves {quoted(key)}, which is not another requirement of the template"
            )
    if len(set(follows)) != len(follows) or len(set(goal.also_serves)) != len(goal.also_serves):
        raise InvalidTemplate(f"goal {label} names a key twice; give each one once")
    milestone_keys = [_key(m.key, "a milestone key") for m in goal.milestones]
    _refuse_duplicates(milestone_keys, f"milestone of goal {label}")
    if len(goal.milestones) > MAX_MILESTONES_PER_GOAL:
        raise InvalidTemplate(
            f"goal {label} suggests {len(goal.milestones)} first milestones; at most {MAX_MILESTONES_PER_GOAL}"
        )
    return replace(
        goal,
        key=goal.key.strip(),
        statement=require_text(goal.statement, f"the statement of goal {label}"),
        measure=checked_measure(goal.measure),
        how_it_leads=require_text(goal.how_it_leads, f"how goal {label} leads there"),
        duration_months=_whole(
            goal.duration_months, 1, MAX_GOAL_MONTHS, f"the duration in months of goal {label}"
        ),
        start_month=None
        if goal.start_month is None
        else _whole(goal.start_month, 0, MAX_START_MONTH, f"the start month of goal {label}"),
        follows=tuple(follows),
        also_serves=tuple(goal.also_serves),
        milestones=tuple(_checked_milestone(m, label) for m in goal.milestones),
    )


def _checked_milestone(milestone: MilestoneSuggestion, goal_label: str) -> MilestoneSuggestion:
    title = require_text(milestone.title, f"a milestone title of goal {goal_label}")
    low, high = MILESTONE_NORM_MINUTES
    estimate = milestone.estimate_minutes
    if isinstance(estimate, bool) or not isinstance(estimate, int) or not low <= estimate <= high:
        raise MilestoneEstimateOutOfRange(
            f"first milestone {quoted(title)} of goal {goal_label} is estimated at {estimate!r} minutes; "
            f"a template's first micro-milestones take {low}–{high} minutes"
        )
    return MilestoneSuggestion(key=milestone.key.strip(), title=title, estimate_minutes=estimate)


def body_to_data(body: TemplateBody) -> dict:
    """The body as JSON-safe data (what a template version stores)."""

    def plain(value):
        if hasattr(value, "__dataclass_fields__"):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, tuple | list):
            return [plain(item) for item in value]
        return value

    return plain(body)


def body_from_data(data: dict) -> TemplateBody:
    """A body from its data form (`body_to_data`, or a request's JSON); unchecked."""

    def goal(g: dict) -> GoalSuggestion:
        follows = g.get("follows")
        return GoalSuggestion(
            **{k: g[k] for k in ("key", "statement", "category", "confidence", "how_it_leads")},
            measure=Measure(**g["measure"]),
            duration_months=g["duration_months"],
            start_month=g.get("start_month"),
            follows=None if follows is None else tuple(follows),
            also_serves=tuple(g.get("also_serves") or ()),
            milestones=tuple(MilestoneSuggestion(**m) for m in g.get("milestones") or ()),
        )

    return TemplateBody(
        destination=DestinationSuggestion(**data["destination"]),
        requirements=tuple(
            RequirementSuggestion(
                key=r["key"],
                kind=r["kind"],
                description=r["description"],
                goals=tuple(goal(g) for g in r.get("goals") or ()),
            )
            for r in data["requirements"]
        ),
    )
