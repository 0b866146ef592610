"""What comes next, per goal: deadlines in the next 30 days, next milestones, and a suggested review decision.

Suggested decision for each open goal (the first rule that matches):

    replace  an alignment finding on the goal suggests "replace", or the goal is
             at risk and has had no win for 2 × stall_days (long stalled)
    tweak    a finding suggests "tweak", its pace is behind or at risk, it is
             stalled (no win for stall_days), or its confidence is falling (≤ −1)
    keep     otherwise: on track, target reached (then: mark it achieved),
             not started yet, or paused

It is a suggestion for the coach's quarterly review, never a decision.
"""

from __future__ import annotations

from datetime import date, timedelta

from projections.caseload import review_due_on
from projections.client_view import OPEN, by_start
from projections.goal_clock import FALLING_CONFIDENCE
from projections.roadmap import pace, progress

HORIZON_DAYS = 30
KEEP_REASONS = {"on track": "on track", "not started": "not started yet", "paused": "paused"}


def _days(day: str, today: date) -> int:
    return (date.fromisoformat(day) - today).days


def deadlines(view: dict, today: date, days: int = HORIZON_DAYS) -> list[dict]:
    """Open goals due within `days` of today (overdue ones too, with negative days_left) and a due review."""
    until = (today + timedelta(days=days)).isoformat()
    items = [
        {
            "kind": "goal",
            "goal_id": goal["goal_id"],
            "label": goal["statement"],
            "due_on": goal["due_on"],
            "days_left": _days(goal["due_on"], today),
            "status": goal["status"],
            "pace": pace(goal, today),
        }
        for goal in sorted(view["goals"].values(), key=by_start)
        if goal["status"] in OPEN and goal["due_on"] <= until
    ]
    client, reviews = view["client"], view["reviews"]
    due = review_due_on(
        {
            "last_review_completed_at": reviews["last_completed_at"],
            "enrolled_at": client["enrolled_at"],
            "timezone": client["timezone"],
            "review_cadence_months": client["review_cadence_months"],
        }
    )
    if due is not None and reviews["open"] is None and due.isoformat() <= until:
        items.append(
            {
                "kind": "review",
                "goal_id": None,
                "due_on": due.isoformat(),
                "days_left": (due - today).days,
                "label": f"review of all goals (every {client['review_cadence_months']} months)",
                "status": "due",
                "pace": None,
            }
        )
    items.sort(key=lambda item: (item["due_on"], item["kind"]))
    return items


def next_milestones(
    view: dict, today: date, per_goal: int = 3, days: int = HORIZON_DAYS
) -> list[dict]:
    """Up to `per_goal` open milestones of each active goal starting within `days`, quickest first.

    Milestones have no recorded order (a JSONB view keeps no key order), so the
    shortest estimate comes first: a 30-minute step is the easiest next win.
    """
    until = (today + timedelta(days=days)).isoformat()
    result = []
    for goal in sorted(view["goals"].values(), key=by_start):
        if goal["status"] != "active" or goal["start_on"] > until:
            continue
        open_ = sorted(
            (m["estimate_minutes"], m["title"], mid)
            for mid, m in goal["milestones"].items()
            if m["status"] == "open"
        )
        result.append(
            {
                "goal_id": goal["goal_id"],
                "statement": goal["statement"],
                "start_on": goal["start_on"],
                "due_on": goal["due_on"],
                "open_total": len(open_),
                "milestones": [
                    {"milestone_id": mid, "title": title, "estimate_minutes": minutes}
                    for minutes, title, mid in open_[:per_goal]
                ],
            }
        )
    return result


def suggest(
    goal_pace: str,
    reached: bool,
    quiet_days: float | None,
    confidence_delta: float | None,
    flags: list[tuple[str, str]],
    stall_days: int = 21,
) -> tuple[str, list[str]]:
    """(keep | tweak | replace, reasons) for one goal, by the rules in the module docstring.

    `flags` are the goal's findings as (suggested action, summary) pairs.
    """
    replace = [f"re-alignment: {summary}" for action, summary in flags if action == "replace"]
    if replace:
        return "replace", replace
    if goal_pace == "at risk" and quiet_days is not None and quiet_days >= 2 * stall_days:
        return "replace", [f"at risk, and no win for {int(quiet_days)} days"]
    reasons = [f"re-alignment: {summary}" for action, summary in flags if action == "tweak"]
    if goal_pace in ("behind", "at risk"):
        reasons.append(f"pace: {goal_pace}")
    if quiet_days is not None:
        reasons.append(f"stalled: no win for {int(quiet_days)} days")
    if confidence_delta is not None and confidence_delta <= FALLING_CONFIDENCE:
        reasons.append(f"confidence falling ({confidence_delta:+g})")
    if reasons:
        return "tweak", reasons
    if reached:
        return "keep", ["target reached: mark it achieved"]
    return "keep", [KEEP_REASONS.get(goal_pace, goal_pace)]


def suggestions(
    view: dict, today: date, momentum: dict, findings: list[dict], stall_days: int = 21
) -> list[dict]:
    """A suggested keep / tweak / replace, with reasons, for each open goal, in start order."""
    quiet = {entry["goal_id"]: entry["quiet_days"] for entry in momentum["stalled"]}
    confidence = momentum["confidence"]["goals"]
    flags: dict[str, list[tuple[str, str]]] = {}
    for finding in findings:
        if finding["goal_id"] and finding["suggested_action"]:
            summary = finding["summary"] or finding["rule"] or "flagged"
            flags.setdefault(finding["goal_id"], []).append(
                (str(finding["suggested_action"]).lower(), summary)
            )
    result = []
    for goal in sorted(view["goals"].values(), key=by_start):
        if goal["status"] not in OPEN:
            continue
        gid, goal_pace, share = goal["goal_id"], pace(goal, today), progress(goal)
        decision, reasons = suggest(
            goal_pace,
            share >= 1,
            quiet.get(gid),
            confidence.get(gid, {}).get("delta"),
            flags.get(gid, []),
            stall_days,
        )
        result.append(
            {
                "goal_id": gid,
                "statement": goal["statement"],
                "status": goal["status"],
                "pace": goal_pace,
                "progress": share,
                "suggestion": decision,
                "reasons": reasons,
            }
        )
    return result
