"""Examples in the document: the seed's own client, Sam Example, on the way to senior software engineer.

Request examples are written here, one per operation that takes a body; an
operation may instead give each required field of its body schema an example
(`metadata={"example": ...}`), which Swagger UI composes. A test holds every
body to one or the other, and each example to its schema.
Answer examples of the main reads (plan, roadmap, momentum, caseload,
history page, digest) are the answers the service gave for the seed's
client, stored in `examples.json` beside this module; a test regenerates
them from the seed and compares, so they cannot drift from what it answers.
The apispec plugin in `api.spec_plugin` puts both into each operation.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CLIENT_ID = "5a3e0c11-7d2b-4c6e-9f10-2b8d4e6a1c35"
COURSE_GOAL = "7d36891d-45e7-518c-9fff-6b58f865251a"
LEAD_GOAL = "24e81bcd-9636-515e-92e8-18f432504978"
DESIGN_REQUIREMENT = "4a58e7d4-6aca-58a8-a02c-2ce54c7aff41"
PORTFOLIO_REQUIREMENT = "46db3d60-3b7a-51ee-90fe-4be2fdc1e24b"
LEAD_REQUIREMENT = "849ba40d-3191-5751-8a5f-46d2bd1d473a"
PARTNERS_REQUIREMENT = "0d0cdfcc-d659-5dad-a672-87e83f3432b7"
ANSWERS = Path(__file__).with_name("examples.json")

COURSE = {
    "goal_id": COURSE_GOAL,
    "statement": "Complete one advanced course in system design and apply its concepts in a side project",
    "category": "skill",
    "measure": {"name": "course modules completed", "baseline": 0, "target": 10, "unit": "modules"},
    "confidence": 7,
    "serves": [
        {
            "requirement_id": DESIGN_REQUIREMENT,
            "how_it_leads": "Builds technical depth and portfolio evidence you can handle complex problems.",
        },
        {
            "requirement_id": PORTFOLIO_REQUIREMENT,
            "how_it_leads": "Builds technical depth and portfolio evidence you can handle complex problems.",
        },
    ],
    "start_on": "2026-11-27",
    "due_on": "2027-02-27",
    "follows": [],
}
LEAD_FEATURE = {
    "statement": "Lead one feature end-to-end at work, including planning, implementation and rollout",
    "category": "experience",
    "measure": {"name": "feature rolled out to all users, with me as its lead"},
    "confidence": 6,
    "serves": [
        {
            "requirement_id": LEAD_REQUIREMENT,
            "how_it_leads": "Demonstrates ownership, leadership, and cross-team collaboration.",
        }
    ],
    "start_on": "2027-05-27",
    "due_on": "2027-11-27",
    "follows": [COURSE_GOAL],
}
# The seed's client pivots to product management: two requirements carry over (lead: the same,
# partners: similar), four are new; the course, mentoring and initiative goals no longer serve.
PIVOT_TO_PRODUCT = {
    "statement": "Become a product manager in 3 years, trusted to decide what the team builds "
    "and why.",
    "role": "product manager",
    "industry": "software products",
    "impact": "ships products that customers love and that move the business",
    "horizon": "2029-11-27",
    "requirements": [
        {
            "kind": "experience",
            "description": "Has led features end-to-end: planning, implementation and rollout",
        },
        {
            "kind": "relationship",
            "description": "Collaborates across teams; trusted by engineering, design and "
            "operations partners",
        },
        {
            "kind": "skill",
            "description": "Discovers what customers need through interviews and product analytics",
        },
        {
            "kind": "skill",
            "description": "Prioritises a roadmap and explains the trade-offs to stakeholders",
        },
        {
            "kind": "achievement",
            "description": "A track record of shipped products that moved customer and business "
            "metrics",
        },
        {
            "kind": "credential",
            "description": "Portfolio evidence of product work: case studies, roadmaps, launch "
            "write-ups",
        },
    ],
}


def _requirement(key: str, kind: str, description: str, goals=()) -> dict:
    return {"key": key, "kind": kind, "description": description, "goals": list(goals)}


TEMPLATE_BODY = {
    "destination": {
        "statement": "Become a senior software engineer in 5 years, trusted to design reliable systems "
        "and to raise the standards of the team around me.",
        "role": "senior software engineer",
        "industry": "software",
        "impact": "designs reliable systems and raises the team's engineering standards",
        "horizon_years": 5,
    },
    "requirements": [
        _requirement(
            "design",
            "skill",
            "Designs scalable, reliable systems and explains the trade-offs",
            [
                {
                    "key": "system-design",
                    "statement": COURSE["statement"],
                    "category": "skill",
                    "measure": COURSE["measure"],
                    "confidence": 7,
                    "how_it_leads": COURSE["serves"][0]["how_it_leads"],
                    "start_month": 0,
                    "duration_months": 3,
                    "also_serves": ["portfolio"],
                    "milestones": [
                        {
                            "key": "pick-course",
                            "title": "Pick the system design course and book two evenings a week for it",
                            "estimate_minutes": 30,
                        }
                    ],
                }
            ],
        ),
        _requirement(
            "lead",
            "experience",
            "Has led features end-to-end: planning, implementation and rollout",
            [
                {
                    "key": "lead-feature",
                    "statement": LEAD_FEATURE["statement"],
                    "category": "experience",
                    "measure": LEAD_FEATURE["measure"],
                    "confidence": 6,
                    "how_it_leads": LEAD_FEATURE["serves"][0]["how_it_leads"],
                    "start_month": 6,
                    "duration_months": 6,
                    "follows": ["system-design"],
                    "milestones": [
                        {
                            "key": "ask-manager",
                            "title": "Ask my manager which upcoming feature I could lead",
                            "estimate_minutes": 30,
                        }
                    ],
                }
            ],
        ),
        _requirement(
            "impact",
            "achievement",
            "A track record of high-impact technical decisions on performance or reliability",
        ),
        _requirement(
            "mentor",
            "relationship",
            "Coaches other engineers and is trusted to set the team's standards",
        ),
        _requirement(
            "portfolio",
            "credential",
            "Portfolio evidence of solving complex problems: projects, write-ups, talks",
        ),
    ],
}
TEMPLATE_ID = "9f1c2b7e-3d4a-4e5f-8a6b-7c8d9e0f1a2b"
REQUESTS = {
    "enrolClient": {
        "client_id": CLIENT_ID,
        "coach_id": "coach-1",
        "display_name": "Sam Example",
        "timezone": "Europe/London",
        "review_cadence_months": 3,
    },
    "reassignCoach": {"coach_id": "coach-2"},
    "setDestination": {
        "statement": "Become a senior software engineer in 5 years, trusted to design reliable systems "
        "and to raise the standards of the team around me.",
        "role": "senior software engineer",
        "industry": "software",
        "impact": "designs reliable systems and raises the team's engineering standards",
        "horizon": "2031-11-27",
    },
    "reviseDestination": {"horizon": "2032-05-27"},
    "addRequirement": {
        "requirement_id": DESIGN_REQUIREMENT,
        "kind": "skill",
        "description": "Designs scalable, reliable systems and explains the trade-offs",
    },
    "reviseRequirement": {
        "description": "Designs scalable, reliable systems and explains the trade-offs in writing"
    },
    "retireRequirement": {"reason": "The role no longer asks for it"},
    "setGoal": COURSE,
    "refineGoal": {"due_on": "2027-03-31", "confidence": 8},
    "pauseGoal": {"reason": "Parental leave until March"},
    "resumeGoal": {},
    "achieveGoal": {"note": "All ten modules done; the side project is live"},
    "dropGoal": {"reason": "The team moved to a platform role; this no longer leads there"},
    "replaceGoal": {"replacement": LEAD_FEATURE, "reason": "A feature to lead came up sooner"},
    "reopenGoal": {"reason": "The rollout was reverted; it is not done yet"},
    "addMilestone": {
        "title": "Write up one design trade-off from module 1",
        "estimate_minutes": 45,
    },
    "removeMilestone": {},
    "completeMilestone": {"occurred_at": "2026-11-27T18:30:00+00:00"},
    "reopenMilestone": {},
    "recordCheckIn": {
        "value": 1,
        "confidence": 7,
        "note": "Finished module 1 on load balancing",
    },
    "startReview": {},
    "decideReviewGoal": {"goal_id": COURSE_GOAL, "decision": "keep", "note": "On track"},
    "completeReview": {"summary": "Course on track; ask for a feature to lead next quarter."},
    "startPivot": PIVOT_TO_PRODUCT,
    "decidePivotItem": {
        "goal_id": COURSE_GOAL,
        "decision": "drop",
        "note": "A system design course no longer leads to product management",
    },
    "completePivot": {"summary": "Now a product plan: set discovery and roadmap goals next."},
    "abandonPivot": {"reason": "Staying in engineering after all"},
    "createKey": {"role": "coach", "coach_id": "coach-1"},
    "rotateKey": {},
    "checkAlignment": {"on": "2026-12-24"},
    "startDigestRun": {"kind": "weekly"},
    "registerWebhook": {
        "url": "https://hooks.example.com/careerplan",
        "events": ["digest.ready", "alignment.findings"],
    },
    "updateWebhook": {"events": ["digest.ready", "goal.achieved"], "enabled": True},
    "rotateWebhookSecret": {},
    "pingWebhook": {},
    "issueClientCalendar": {},
    "createTemplate": {
        "name": "Senior software engineer in 5 years",
        "body": TEMPLATE_BODY,
        "note": "The seed's table",
    },
    "reviseTemplate": {"body": TEMPLATE_BODY, "note": "Lead a feature sooner: start in month 4"},
    "retireTemplate": {},
    "proposeTemplate": {"template_id": TEMPLATE_ID},
    "acceptTemplate": {
        "template_id": TEMPLATE_ID,
        "version": 1,
        "requirements": ["design", "lead", "impact", "mentor", "portfolio"],
        "goals": ["system-design"],
    },
    "issueCoachCalendar": {},
    "setPolicy": {
        "alignment": {"stall_days": 21, "max_active_goals": 3},
        "digest_kinds": ["weekly", "quarterly"],
        "timezone": "Europe/London",
        "nudges": {"enabled": True, "quiet_days": 7, "min_days_between": 7},
    },
}


@cache
def answers() -> dict[str, dict]:
    """The stored answer examples by operationId (none when the file is missing)."""
    return json.loads(ANSWERS.read_text()) if ANSWERS.exists() else {}
