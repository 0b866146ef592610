"""A template dated for one client: concrete requirements, goals and milestones, and what a coach accepts.

Dates count from the client's start: the client-local day they were enrolled,
or today if later (a plan's goals start no earlier than the day they are set).
Each goal starts `start_month` months after it, or when the goals it follows
are due, and is due `duration_months` after its start (at most 24: the
two-year rule); later goals of a chain start in the future. Ids are uuid5 of
client, template, version and key, so proposing again, or retrying an
acceptance, names the same ids, and an id already in the plan marks what an
earlier acceptance of this version took.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.dates import add_months
from domain.errors import NothingChanged, TemplateGoalWithoutRequirement, UnknownTemplateKey
from domain.templates import MilestoneSuggestion, TemplateBody
from domain.text import quoted
from domain.values import Contribution, Destination, GoalTerms

_NAMESPACE = uuid.UUID("0b9d2f0e-6a55-4f57-8c1e-5d3a2e71c4b8")


def template_id_of(client_id: str, template_id: str, version: int, kind: str, key: str) -> str:
    """The id a template's requirement, goal or milestone takes in one client's plan."""
    return str(uuid.uuid5(_NAMESPACE, f"{client_id}/{template_id}/{version}/{kind}/{key}"))


@dataclass(frozen=True)
class ProposedRequirement:
    """A requirement as it would join the plan; `in_plan` when an earlier acceptance added it."""

    key: str
    requirement_id: str
    kind: str
    description: str
    in_plan: bool


@dataclass(frozen=True)
class ProposedMilestone:
    """A first micro-milestone as it would join its goal."""

    key: str
    milestone_id: str
    title: str
    estimate_minutes: int


@dataclass(frozen=True)
class ProposedGoal:
    """A dated goal; `terms.serves` and `terms.follows` name plan ids, `*_keys` the template's keys."""

    key: str
    goal_id: str
    requirement_key: str
    serves_keys: tuple[str, ...]
    follows_keys: tuple[str, ...]
    terms: GoalTerms
    milestones: tuple[ProposedMilestone, ...]
    in_plan: bool


@dataclass(frozen=True)
class Proposal:
    """What a template version would add to one client's plan, dated from `start_on`.

    `destination` is None when the client has one already (it is kept).
    """

    start_on: date
    destination: Destination | None
    requirements: tuple[ProposedRequirement, ...]
    goals: tuple[ProposedGoal, ...]


def propose(
    body: TemplateBody,
    *,
    client_id: str,
    template_id: str,
    version: int,
    start_on: date,
    has_destination: bool = False,
    in_plan: frozenset[str] = frozenset(),
) -> Proposal:
    """The checked `body` dated from `start_on` for the client; `in_plan` holds the ids the plan has."""

    def ids(kind: str, key: str) -> str:
        return template_id_of(client_id, template_id, version, kind, key)

    d = body.destination
    destination = (
        None
        if has_destination
        else Destination(
            d.statement, d.role, d.industry, d.impact, add_months(start_on, 12 * d.horizon_years)
        )
    )
    requirements = tuple(
        ProposedRequirement(
            r.key,
            ids("requirement", r.key),
            r.kind,
            r.description,
            ids("requirement", r.key) in in_plan,
        )
        for r in body.requirements
    )
    due: dict[str, date] = {}
    goals = []
    for requirement, goal in body.goals():
        if goal.start_month is not None:
            start = add_months(start_on, goal.start_month)
        else:
            start = max((due[key] for key in goal.follows), default=start_on)
        due[goal.key] = add_months(start, goal.duration_months)
        serves = (requirement.key, *goal.also_serves)
        goal_id = ids("goal", goal.key)
        terms = GoalTerms(
            statement=goal.statement,
            category=goal.category,
            measure=goal.measure,
            confidence=goal.confidence,
            serves=tuple(Contribution(ids("requirement", k), goal.how_it_leads) for k in serves),
            start_on=start,
            due_on=due[goal.key],
            follows=tuple(ids("goal", key) for key in goal.follows),
        )
        goals.append(
            ProposedGoal(
                key=goal.key,
                goal_id=goal_id,
                requirement_key=requirement.key,
                serves_keys=serves,
                follows_keys=tuple(goal.follows),
                terms=terms,
                milestones=tuple(_milestone(ids, goal.key, m) for m in goal.milestones),
                in_plan=goal_id in in_plan,
            )
        )
    return Proposal(start_on, destination, requirements, tuple(goals))


def _milestone(ids, goal_key: str, m: MilestoneSuggestion) -> ProposedMilestone:
    return ProposedMilestone(
        m.key, ids("milestone", f"{goal_key}/{m.key}"), m.title, m.estimate_minutes
    )


def accepted(
    proposal: Proposal,
    requirement_keys: tuple[str, ...] | None,
    goal_keys: tuple[str, ...] | None,
    active_requirement_ids: frozenset[str],
) -> tuple[list[ProposedRequirement], list[ProposedGoal]]:
    """The requirements and goals a coach accepts, each goal narrowed to what the plan will hold.

    None accepts every one the plan does not hold yet. An accepted goal serves
    only requirements accepted now or active in the plan (its own requirement
    must be one of them: TemplateGoalWithoutRequirement), and loses its `follows`
    link to a goal neither accepted now nor in the plan.
    """
    by_key = {r.key: r for r in proposal.requirements}
    goals_by_key = {g.key: g for g in proposal.goals}
    _refuse_unknown(requirement_keys, by_key, "requirement")
    _refuse_unknown(goal_keys, goals_by_key, "goal")
    chosen_requirements = [
        r
        for r in proposal.requirements
        if (r.key in requirement_keys if requirement_keys is not None else not r.in_plan)
    ]
    chosen_goals = [
        g
        for g in proposal.goals
        if (g.key in goal_keys if goal_keys is not None else not g.in_plan)
    ]
    if not chosen_requirements and not chosen_goals:
        raise NothingChanged(
            "nothing to accept: this template version's requirements and goals are in the plan already "
            "or none were named"
        )
    held = {r.requirement_id for r in chosen_requirements} | active_requirement_ids
    goal_ids = {g.goal_id for g in chosen_goals} | {g.goal_id for g in proposal.goals if g.in_plan}
    narrowed = []
    for goal in chosen_goals:
        if by_key[goal.requirement_key].requirement_id not in held:
            raise TemplateGoalWithoutRequirement(
                f"goal {quoted(goal.key)} serves requirement {quoted(goal.requirement_key)}, which is neither "
                "accepted nor in the plan: accept that requirement too, or leave the goal out"
            )
        terms = goal.terms
        narrowed.append(
            _narrowed(goal, tuple(c for c in terms.serves if c.requirement_id in held), goal_ids)
        )
    return chosen_requirements, narrowed


def _narrowed(goal: ProposedGoal, serves, goal_ids: set[str]) -> ProposedGoal:
    terms = goal.terms
    follows = tuple(f for f in terms.follows if f in goal_ids)
    return ProposedGoal(
        key=goal.key,
        goal_id=goal.goal_id,
        requirement_key=goal.requirement_key,
        serves_keys=tuple(k for k, c in zip(goal.serves_keys, terms.serves) if c in serves),
        follows_keys=tuple(k for k, f in zip(goal.follows_keys, terms.follows) if f in goal_ids),
        terms=GoalTerms(**{**terms.as_dict(), "serves": serves, "follows": follows}),
        milestones=goal.milestones,
        in_plan=goal.in_plan,
    )


def _refuse_unknown(keys: tuple[str, ...] | None, known: dict, what: str) -> None:
    unknown = [key for key in keys or () if key not in known]
    if unknown:
        raise UnknownTemplateKey(
            f"this template version has no {what} {', '.join(quoted(k) for k in unknown)}; "
            f"its {what}s are {', '.join(known)}"
        )
