"""The seed's table as a programme template: "Senior software engineer in 5 years".

The demo organisation ships it (`careerplan.demo`). Its requirements are the
seed example's six; its four goals are the seed's table, each in the chain of
the requirement it builds first, chained across them, and timed so that, dated
from a client's start, they fall due in the roadmap's four timeframes: next 3
months, 3–12 months, year 2, years 3–4. Each starts with one or two first
micro-milestones of 30–60 minutes.
"""

from __future__ import annotations

from careerplan.seed_example import REQUIREMENTS

SEED_TEMPLATE_NAME = "Senior software engineer in 5 years"
SEED_TEMPLATE_ROLE = "senior software engineer"


def _goal(key, statement, category, measure, confidence, how, start, months, also, follows, steps):
    return {
        "key": key,
        "statement": statement,
        "category": category,
        "measure": measure,
        "confidence": confidence,
        "how_it_leads": how,
        "start_month": start,
        "duration_months": months,
        "also_serves": also,
        "follows": follows,
        "milestones": [
            {"key": k, "title": title, "estimate_minutes": minutes} for k, title, minutes in steps
        ],
    }


GOALS = {
    "design": _goal(
        "system-design",
        "Complete one advanced course in system design and apply its concepts in a side project",
        "skill",
        {"name": "course modules completed", "baseline": 0, "target": 10, "unit": "modules"},
        7,
        "Builds technical depth and portfolio evidence you can handle complex problems.",
        0,
        3,
        ["portfolio"],
        [],
        [
            (
                "pick-course",
                "Pick the system design course and book two evenings a week for it",
                30,
            ),
            ("sketch", "Sketch the side project's architecture on one page", 60),
        ],
    ),
    "lead": _goal(
        "lead-feature",
        "Lead one feature end-to-end at work, including planning, implementation and rollout",
        "experience",
        {"name": "feature rolled out to all users, with me as its lead"},
        6,
        "Demonstrates ownership, leadership, and cross-team collaboration—core senior engineer "
        "expectations.",
        6,
        6,
        ["partners"],
        ["system-design"],
        [("ask-manager", "Ask my manager which upcoming feature I could lead", 30)],
    ),
    "mentor": _goal(
        "mentor",
        "Mentor a junior engineer and document team best practices",
        "relationships",
        {"name": "mentoring sessions held", "baseline": 0, "target": 20, "unit": "sessions"},
        6,
        "Shows coaching ability and influence on team standards, both key to senior roles.",
        None,
        12,
        [],
        ["lead-feature"],
        [("message-mentee", "Message one junior engineer who might want a mentor", 30)],
    ),
    "impact": _goal(
        "initiative",
        "Drive a technical initiative that improves performance or reliability, and present the results",
        "credibility",
        {"name": "checkout p95 latency", "baseline": 800, "target": 400, "unit": "ms"},
        5,
        "Builds a track record of high-impact decisions and thought leadership.",
        None,
        24,
        ["portfolio"],
        ["mentor"],
        [("pick-metric", "List three slow or flaky paths and pick the one to measure first", 45)],
    ),
}


def seed_template_body() -> dict:
    """The template's body in its data form (what `POST /v1/templates` takes)."""
    return {
        "destination": {
            "statement": "Become a senior software engineer in 5 years, trusted to design reliable "
            "systems and to raise the standards of the team around me.",
            "role": SEED_TEMPLATE_ROLE,
            "industry": "software",
            "impact": "designs reliable systems and raises the team's engineering standards",
            "horizon_years": 5,
        },
        "requirements": [
            {
                "key": key,
                "kind": kind,
                "description": description,
                "goals": [GOALS[key]] if key in GOALS else [],
            }
            for key, kind, description in REQUIREMENTS
        ],
    }
