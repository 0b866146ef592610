"""The seed's worked example as commands: "Become a senior software engineer in 5 years".

Built only through domain commands, so it exercises the same rules as real
use: enrolment, a destination with six requirements, and the four goals of
the seed's table placed in their timeframes (next 3 months, 6–12 months,
year 2, years 3–4), chained, each saying how it leads, with a few
milestones and check-ins. Ids are uuid5 values derived from the client id, so
the fixture is the same every time it is built for the same client.
"""

from __future__ import annotations

import uuid
from datetime import date

from domain import commands as c
from domain.dates import add_months
from domain.values import Contribution, GoalTerms, Measure

_NAMESPACE = uuid.UUID("6f0d3c1e-5b0a-4d8e-9a57-1f2c3b4d5e6f")

# key, kind, description
REQUIREMENTS = (
    ("design", "skill", "Designs scalable, reliable systems and explains the trade-offs"),
    ("lead", "experience", "Has led features end-to-end: planning, implementation and rollout"),
    (
        "impact",
        "achievement",
        "A track record of high-impact technical decisions on performance or reliability",
    ),
    (
        "mentor",
        "relationship",
        "Coaches other engineers and is trusted to set the team's standards",
    ),
    (
        "portfolio",
        "credential",
        "Portfolio evidence of solving complex problems: projects, write-ups, talks",
    ),
    (
        "partners",
        "relationship",
        "Collaborates across teams; trusted by product and operations partners",
    ),
)

# the four goals of the seed's table, in chain order
GOAL_KEYS = ("system-design", "lead-feature", "mentor", "initiative")


def seed_id(client_id: str, *parts: str) -> str:
    """A reproducible id for one part of the example, derived from the client id."""
    return str(uuid.uuid5(_NAMESPACE, "/".join((client_id, *parts))))


def _goal(
    ids, key, statement, category, measure, confidence, serves, how, start_on, due_on, follows=()
):
    """A SetGoal whose requirements (by key) each carry the seed's "how it leads" text."""
    terms = GoalTerms(
        statement=statement,
        category=category,
        measure=measure,
        confidence=confidence,
        serves=tuple(Contribution(ids("requirement", requirement), how) for requirement in serves),
        start_on=start_on,
        due_on=due_on,
        follows=tuple(ids("goal", earlier) for earlier in follows),
    )
    return c.SetGoal(goal_id=ids("goal", key), terms=terms)


def seed_example_commands(
    client_id: str, organisation_id: str, coach_id: str, today: date
) -> list[c.Command]:
    """Every command of the worked example, in order, for a client enrolled `today` (decide them at today)."""

    def ids(*parts: str) -> str:
        return seed_id(client_id, *parts)

    def month(months: int) -> date:
        return add_months(today, months)

    commands: list[c.Command] = [
        c.EnrolClient(
            client_id=client_id,
            organisation_id=organisation_id,
            coach_id=coach_id,
            display_name="Sam Example",
            timezone="Europe/London",
            review_cadence_months=3,
        ),
        c.SetDestination(
            statement="Become a senior software engineer in 5 years, trusted to design reliable systems "
            "and to raise the standards of the team around me.",
            role="senior software engineer",
            industry="software",
            impact="designs reliable systems and raises the team's engineering standards",
            horizon=month(60),
        ),
        *(
            c.AddRequirement(
                requirement_id=ids("requirement", key), kind=kind, description=description
            )
            for key, kind, description in REQUIREMENTS
        ),
        _goal(
            ids,
            "system-design",
            "Complete one advanced course in system design and apply its concepts "
            "in a side project",
            "skill",
            Measure.metric("course modules completed", 0, 10, "modules"),
            7,
            ["design", "portfolio"],
            "Builds technical depth and portfolio evidence you can handle complex problems.",
            today,
            month(3),
        ),
        _goal(
            ids,
            "lead-feature",
            "Lead one feature end-to-end at work, including planning, implementation and rollout",
            "experience",
            Measure.done("feature rolled out to all users, with me as its lead"),
            6,
            ["lead", "partners"],
            "Demonstrates ownership, leadership, and cross-team collaboration—core senior engineer "
            "expectations.",
            month(6),
            month(12),
            follows=["system-design"],
        ),
        _goal(
            ids,
            "mentor",
            "Mentor a junior engineer and document team best practices",
            "relationships",
            Measure.metric("mentoring sessions held", 0, 20, "sessions"),
            6,
            ["mentor"],
            "Shows coaching ability and influence on team standards, both key to senior roles.",
            month(12),
            month(24),
            follows=["lead-feature"],
        ),
        _goal(
            ids,
            "initiative",
            "Drive a technical initiative that improves performance or reliability, "
            "and present the results",
            "credibility",
            Measure.metric("checkout p95 latency", 800, 400, "ms"),
            5,
            ["impact", "portfolio"],
            "Builds a track record of high-impact decisions and thought leadership.",
            month(24),
            add_months(month(24), 24),
            follows=["mentor"],
        ),
    ]
    first = ids("goal", "system-design")
    for key, title, minutes in (
        ("pick-course", "Pick the system design course and book two evenings a week for it", 30),
        ("sketch", "Sketch the side project's architecture on one page", 60),
        ("trade-off", "Write up one design trade-off from module 1", 45),
    ):
        commands.append(
            c.AddMilestone(
                goal_id=first,
                milestone_id=ids("milestone", key),
                title=title,
                estimate_minutes=minutes,
            )
        )
    commands += [
        c.CompleteMilestone(goal_id=first, milestone_id=ids("milestone", "pick-course")),
        c.RecordCheckIn(
            goal_id=first,
            check_in_id=ids("check-in", "1"),
            value=1,
            confidence=7,
            note="Finished module 1 on load balancing",
        ),
        c.AddMilestone(
            goal_id=ids("goal", "lead-feature"),
            milestone_id=ids("milestone", "ask-manager"),
            title="Ask my manager which upcoming feature I could lead",
            estimate_minutes=30,
        ),
        c.AddMilestone(
            goal_id=ids("goal", "mentor"),
            milestone_id=ids("milestone", "message-mentee"),
            title="Message one junior engineer who might want a mentor",
            estimate_minutes=30,
        ),
    ]
    return commands
