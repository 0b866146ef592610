"""The roadmap: the destination, the goals laid out by timeframe along their chains, and the gaps.

A goal is placed in the timeframe in which it is due, as the seed's table
places "lead one feature end-to-end" in "next 6–12 months": by its due date
relative to `today`, with `add_months` boundaries (each timeframe runs from
after its `from` to its `until`, both as dates, `until` included):

    next 3 months  due by today + 3 months (overdue goals land here too)
    3–12 months    due after today + 3 months, by today + 12 months
    year 2         due after today + 12 months, by today + 24 months
    years 3–4      due after today + 24 months, by today + 48 months
    later          due after today + 48 months

So a goal that starts today and is due in 12 months is under 3–12 months,
not next 3 months. The seed's example (goals due at +3, +12, +24 and +48
months) lands in next 3 months / 3–12 months / year 2 / years 3–4, the seed's
table.

Each goal's progress (toward its measure's target) and pace (on track,
behind, at risk; not started, paused, achieved, closed) come from
`domain.goal_formulas` through `projections.goal_clock`, as the re-alignment
check's do.

Each goal lists its current re-alignment findings in brief (`findings`).
"""

from __future__ import annotations

from datetime import date

from domain.dates import add_months
from projections.alignment_events import goal_findings
from projections.client_view import OPEN
from projections.goal_clock import pace, progress

TIMEFRAMES = (
    ("next 3 months", 3),
    ("3–12 months", 12),
    ("year 2", 24),
    ("years 3–4", 48),
    ("later", None),
)


def roadmap(view: dict, today: date) -> dict:
    """The client's roadmap as of `today`: timeframes of open goals, achieved goals, and gaps."""
    goals = view["goals"]
    timeframes, start = [], None
    for name, months in TIMEFRAMES:
        until = add_months(today, months).isoformat() if months else None
        timeframes.append({"name": name, "from": start, "until": until, "goals": []})
        start = until
    for goal in chain_order([g for g in goals.values() if g["status"] in OPEN]):
        frame = next(f for f in timeframes if f["until"] is None or goal["due_on"] <= f["until"])
        frame["goals"].append(_entry(view, goal, today))
    achieved = [
        _entry(view, g, today)
        for g in chain_order([g for g in goals.values() if g["status"] == "achieved"])
    ]
    return {
        "client_id": view["client_id"],
        "as_of": today.isoformat(),
        "destination": view["destination"],
        "timeframes": timeframes,
        "achieved": achieved,
        "gaps": gaps(view),
    }


def chain_order(goals: list[dict]) -> list[dict]:
    """Goals ordered so each comes after the goals it follows; otherwise by start, due date and set order."""
    key = {id(g): (g["start_on"], g["due_on"], g["seq"]) for g in goals}
    pending = sorted(goals, key=lambda g: key[id(g)])
    placed: list[dict] = []
    done: set[str] = set()
    among = {g["goal_id"] for g in goals}
    while pending:
        ready = next(
            (g for g in pending if all(f in done or f not in among for f in g["follows"])),
            pending[0],
        )
        pending.remove(ready)
        placed.append(ready)
        done.add(ready["goal_id"])
    return placed


def gaps(view: dict) -> list[dict]:
    """Active requirements that no active, paused or achieved goal serves, in the order they were added."""
    served = {
        contribution["requirement_id"]
        for goal in view["goals"].values()
        if goal["status"] in (*OPEN, "achieved")
        for contribution in goal["serves"]
    }
    return [
        {"requirement_id": rid, "kind": r["kind"], "description": r["description"]}
        for rid, r in sorted(view["requirements"].items(), key=lambda item: item[1]["seq"])
        if r["status"] == "active" and rid not in served
    ]


def _entry(view: dict, goal: dict, today: date) -> dict:
    requirements = view["requirements"]
    milestones = goal["milestones"].values()
    return {
        "goal_id": goal["goal_id"],
        "statement": goal["statement"],
        "category": goal["category"],
        "status": goal["status"],
        "start_on": goal["start_on"],
        "due_on": goal["due_on"],
        "measure": goal["measure"],
        "current_value": goal["current_value"],
        "progress": progress(goal),
        "pace": pace(goal, today),
        "confidence": goal["latest_confidence"],
        "follows": goal["follows"],
        "replaces": goal["replaces"],
        "findings": goal_findings(view, goal["goal_id"]),
        "milestones": {
            "completed": sum(m["status"] == "completed" for m in milestones),
            "total": len(milestones),
        },
        "serves": [
            {
                "requirement_id": c["requirement_id"],
                "how_it_leads": c["how_it_leads"],
                "description": requirements.get(c["requirement_id"], {}).get("description"),
                "retired": requirements.get(c["requirement_id"], {}).get("status") == "retired",
            }
            for c in goal["serves"]
        ],
    }
