"""A view goal through the goal formulas: quiet days, progress and pace, plus confidence drift.

The arithmetic lives in `domain.goal_formulas`, shared with the re-alignment
check; this module only hands it a goal dict's values, so momentum, roadmap,
caseload and digests judge a goal as the check does. Timestamps are the
events' UTC ISO strings. Confidence drift is the views' own formula.
"""

from __future__ import annotations

from datetime import date

from domain import goal_formulas

FALLING_CONFIDENCE = -1.0  # a delta at or below this is "falling" (one point on the 1–10 scale)


def quiet_since(goal: dict) -> str:
    """When the goal's current quiet spell began: its last win, its (re)activation or its start date."""
    return goal_formulas.quiet_since(goal["last_win_at"], goal["activated_at"], goal["start_on"])


def paused_since(goal: dict, since: str) -> float:
    """Days the goal spent paused since `since` (fixed while the goal is active)."""
    return goal_formulas.paused_days(goal["pauses"], since)


def quiet(goal: dict, today: date) -> tuple[float, str]:
    """(quiet days by `today`, quiet since) of the goal: what "stalled" is judged on."""
    return goal_formulas.quiet(
        goal["last_win_at"], goal["activated_at"], goal["start_on"], goal["pauses"], today
    )


def progress(goal: dict, milestones: bool = False) -> float:
    """0.0–1.0 toward the target (achieved: 1); with `milestones`, a done/not-done goal counts them."""
    measure, counted = goal["measure"], (0, 0)
    if milestones:
        states = [milestone["status"] for milestone in goal["milestones"].values()]
        counted = (states.count("completed"), len(states))
    return goal_formulas.progress(
        measure["baseline"],
        measure["target"],
        goal["current_value"],
        goal["status"] == "achieved",
        counted,
    )


def pace(goal: dict, today: date) -> str:
    """On track / behind / at risk, or not started, paused, achieved, closed."""
    status = goal["status"]
    if status != "active":
        return status if status in ("paused", "achieved") else "closed"
    start, due = date.fromisoformat(goal["start_on"]), date.fromisoformat(goal["due_on"])
    if today < start:
        return "not started"
    expected = goal_formulas.expected_progress(start, due, today, goal["pauses"])
    return goal_formulas.pace(expected, progress(goal, milestones=True), today, due)


def confidence_delta(series: list[list]) -> float | None:
    """Confidence trend of one series of `[at, value]` points: latest − mean of all earlier points.

    None with fewer than two points. Negative means falling; at or below
    `FALLING_CONFIDENCE` a coach should look.
    """
    if len(series) < 2:
        return None
    earlier = [point[1] for point in series[:-1]]
    return round(series[-1][1] - sum(earlier) / len(earlier), 2)


def overall_delta(deltas: list[float | None]) -> float | None:
    """A client's confidence trend: the mean of their goals' deltas (None when no goal has one)."""
    known = [delta for delta in deltas if delta is not None]
    return round(sum(known) / len(known), 2) if known else None
