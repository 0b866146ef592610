"""Time on a goal as views judge it: quiet days since the last win, paused time, confidence drift.

Shared by momentum, roadmap and caseload so a goal is stalled, paced and
trending by one set of formulas. Timestamps are the events' UTC ISO strings,
which compare correctly as text; whole days are counted on UTC dates.
"""

from __future__ import annotations

from datetime import date, datetime

FALLING_CONFIDENCE = -1.0  # a delta at or below this is "falling" (one point on the 1–10 scale)


def midnight(day: str) -> str:
    """The UTC timestamp at the start of an ISO date, comparable with event timestamps."""
    return f"{day[:10]}T00:00:00+00:00"


def quiet_since(goal: dict) -> str:
    """When the goal's current quiet spell began: its last win, its (re)activation or its start date.

    A goal that has not started yet is quiet only from its start date, so a
    year-2 goal is never stalled in year 1.
    """
    return max(goal["last_win_at"] or "", goal["activated_at"], midnight(goal["start_on"]))


def paused_days(goal: dict, since: str, until: str | None = None) -> float:
    """Days (fractional) the goal spent paused between `since` and `until` (an open pause runs to `until`)."""
    total = 0.0
    for started, ended in goal["pauses"]:
        low = max(started, since)
        high = ended if ended is not None else until
        if until is not None and high is not None and high > until:
            high = until
        if high is not None and high > low:
            total += (datetime.fromisoformat(high) - datetime.fromisoformat(low)).total_seconds() / 86400
    return total


def quiet_days(since: str, paused: float, today: date) -> float:
    """Whole days from `since`'s date to `today`, less the days paused in between.

    A goal is stalled when this reaches the stall threshold (21 days by default).
    """
    return (today - date.fromisoformat(since[:10])).days - paused


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
