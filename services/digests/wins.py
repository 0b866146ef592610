"""What went right: the wins of a digest period, and momentum with its weekly series for the chart.

Win items are read from the client view itself (completed milestones, achieved
goals — also those later reopened — and check-ins marked as forward wins), so
they are exactly the wins that `projections.wins` counted, with names attached.
"""

from __future__ import annotations

from datetime import date, timedelta

from projections.check_ins import AT, VALUE, WON
from projections.client_view import by_start
from projections.momentum import ALPHA, momentum
from projections.wins import week_of

ITEM_KINDS = {"milestone": "milestones", "goal": "goals", "check_in": "check_ins"}


def wins_in(view: dict, start: date, end: date) -> dict:
    """Wins dated from `start` to `end` (inclusive, UTC dates): counts per kind and the items, oldest first."""
    first, last = start.isoformat(), end.isoformat()

    def within(at: str | None) -> bool:
        return at is not None and first <= at[:10] <= last

    items = []
    for goal in sorted(view["goals"].values(), key=by_start):
        for milestone in goal["milestones"].values():
            if milestone["status"] == "completed" and within(milestone["completed_at"]):
                items.append(
                    _item("milestone", milestone["completed_at"], goal, milestone["title"])
                )
        closes = [(p["outcome"], p["closed_at"]) for p in goal["past_lifecycles"]]
        for outcome, at in [*closes, (goal["status"], goal["closed_at"])]:
            if outcome == "achieved" and within(at):
                items.append(_item("goal", at, goal, "goal achieved"))
        for entry in goal["check_ins"].values():
            if entry[WON] and within(entry[AT]):
                items.append(
                    _item("check_in", entry[AT], goal, _reading(goal["measure"], entry[VALUE]))
                )
    items.sort(key=lambda item: (item["at"], item["kind"], item["goal_id"], item["label"]))
    counts = {
        plural: sum(item["kind"] == kind for item in items) for kind, plural in ITEM_KINDS.items()
    }
    return {"total": len(items), **counts, "items": items}


def _item(kind: str, at: str, goal: dict, label: str) -> dict:
    return {
        "kind": kind,
        "at": at,
        "goal_id": goal["goal_id"],
        "goal": goal["statement"],
        "label": label,
    }


def _reading(measure: dict, value) -> str:
    """A forward check-in as a coach reads it: "course modules completed: 3 modules", or the done criterion."""
    if measure["target"] is None or value is None:
        return f"done: {measure['name']}"
    unit = f" {measure['unit']}" if measure["unit"] else ""
    return f"{measure['name']}: {value:g}{unit}"


def momentum_section(view: dict, today: date, stall_days: int = 21, weeks: int = 12) -> dict:
    """`projections.momentum` as of `today`, each listed week also carrying its end-of-week habit strength."""
    result = momentum(view, today, stall_days, weeks)
    series = habit_series(view, today, weeks)
    result["weeks"] = [
        {**week, "habit_strength": strength} for week, strength in zip(result["weeks"], series)
    ]
    return result


def habit_series(view: dict, today: date, weeks: int = 12) -> list[float]:
    """Habit strength at the end of each of the last `weeks` ISO weeks, oldest first.

    The same EMA as `projections.momentum.habit_strength` (α = 0.2 from the
    enrolment week), recorded week by week; this week's point is as of
    `today`, so the last point equals the momentum figure.
    """
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    first = view["client"]["enrolled_at"] or min(view["win_days"], default=None)
    if first is None:
        return [0.0] * weeks
    monday = date.fromisoformat(first[:10])
    monday -= timedelta(days=monday.weekday())
    strength, at_end = 0.0, {}
    while monday <= this_monday:
        won = sum(view["wins"].get(week_of(monday.isoformat()), {}).values()) > 0
        if monday < this_monday or won:
            strength = ALPHA * won + (1 - ALPHA) * strength
        at_end[monday] = round(strength, 4)
        monday += timedelta(weeks=1)
    return [at_end.get(monday, 0.0) for monday in mondays]
