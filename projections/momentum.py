"""Momentum: are the client's small wins regular? Weekly wins, streaks, habit strength, trend, stalls.

Formulas (weeks are ISO weeks, days UTC dates; see `projections.wins`):

- wins per week: completed milestones + achieved goals + forward check-ins.
- streak: consecutive ISO weeks with ≥ 1 win. The current streak counts back
  from this week, or from last week while this week has no win yet (a week
  in progress does not break it); the longest is the longest such run ever.
- habit strength: an exponential moving average over the weeks from the
  enrolment week to this week, s ← α·x + (1 − α)·s with s = 0 before the
  first week, x = 1 for a week with a win else 0, and α = 0.2 (a missed week
  costs a fifth; half-life ≈ 3.1 weeks). This week counts only once it has a
  win. 0..1: it rises with regular wins and decays smoothly, never resetting.
- 30-day trend: wins in the 30 days ending today vs the 30 days before;
  change = (last − previous) / previous (None when previous is 0).
- stalled: active goals, started, not paused, with no win for `stall_days`
  days (quiet days exclude paused time; see `domain.goal_formulas`).
- overdue: active (not paused) goals whose due date is before today.
- confidence: per open goal, latest − mean of earlier points (the confidence
  set with the goal, then each check-in); overall = mean of the goals'.
"""

from __future__ import annotations

from datetime import date, timedelta

from projections import goal_clock
from projections.check_ins import confidence_series
from projections.client_view import OPEN, by_start
from projections.wins import KINDS, week_of

ALPHA = 0.2


def momentum(view: dict, today: date, stall_days: int = 21, weeks: int = 12) -> dict:
    """The client's momentum as of `today`; `weeks` is how many recent weeks to list."""
    wins, this_monday = view["wins"], today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    per_week = [_week_counts(wins, week_of(m.isoformat())) for m in mondays]
    streaks = streak(wins, today)
    return {
        "as_of": today.isoformat(),
        "weeks": per_week,
        "streak": {"current": streaks[0], "longest": streaks[1]},
        "habit_strength": habit_strength(view, today),
        "trend_30d": trend(view["win_days"], today),
        "last_win_at": view["last_win_at"],
        "stalled": stalled(view, today, stall_days),
        "overdue": overdue(view, today),
        "confidence": confidence(view),
    }


def _week_counts(wins: dict, week: str) -> dict:
    counts = wins.get(week, {})
    by_kind = {kind: counts.get(kind, 0) for kind in KINDS}
    return {"week": week, **by_kind, "total": sum(by_kind.values())}


def _won(wins: dict, monday: date) -> bool:
    return sum(wins.get(week_of(monday.isoformat()), {}).values()) > 0


def streak(wins: dict, today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive ISO weeks with a win, up to this week."""
    this_week = week_of(today.isoformat())
    weeks = sorted(
        date.fromisocalendar(int(w[:4]), int(w[6:]), 1)
        for w, counts in wins.items()
        if w <= this_week and sum(counts.values()) > 0
    )
    longest = run = 0
    for index, monday in enumerate(weeks):
        run = run + 1 if index and monday - weeks[index - 1] == timedelta(weeks=1) else 1
        longest = max(longest, run)
    monday = today - timedelta(days=today.weekday())
    if not _won(wins, monday):
        monday -= timedelta(weeks=1)
    current = 0
    while _won(wins, monday):
        current, monday = current + 1, monday - timedelta(weeks=1)
    return current, longest


def habit_strength(view: dict, today: date) -> float:
    """EMA of weeks with a win (α = 0.2), from the enrolment week (or first win) to this week."""
    wins = view["wins"]
    first = view["client"]["enrolled_at"] or min((d for d in view["win_days"]), default=None)
    if first is None:
        return 0.0
    monday, this_monday = date.fromisoformat(first[:10]), today - timedelta(days=today.weekday())
    monday -= timedelta(days=monday.weekday())
    strength = 0.0
    while monday <= this_monday:
        won = _won(wins, monday)
        if monday < this_monday or won:
            strength = ALPHA * won + (1 - ALPHA) * strength
        monday += timedelta(weeks=1)
    return round(strength, 4)


def trend(win_days: dict, today: date) -> dict:
    """Wins in the last 30 days (today included) against the 30 days before them."""
    last_from, previous_from = (
        (today - timedelta(days=29)).isoformat(),
        (today - timedelta(days=59)).isoformat(),
    )
    end = today.isoformat()
    last = sum(n for day, n in win_days.items() if last_from <= day <= end)
    previous = sum(n for day, n in win_days.items() if previous_from <= day < last_from)
    direction = "up" if last > previous else "down" if last < previous else "flat"
    change = round((last - previous) / previous, 3) if previous else None
    return {
        "last_30_days": last,
        "previous_30_days": previous,
        "change": change,
        "direction": direction,
    }


def stalled(view: dict, today: date, stall_days: int = 21) -> list[dict]:
    """Active, started, unpaused goals with no win for at least `stall_days` days (paused days excluded)."""
    found = []
    for goal in sorted(view["goals"].values(), key=by_start):
        if goal["status"] != "active" or goal["start_on"] > today.isoformat():
            continue
        quiet, since = goal_clock.quiet(goal, today)
        if quiet >= stall_days:
            found.append(
                {
                    "goal_id": goal["goal_id"],
                    "statement": goal["statement"],
                    "quiet_since": since,
                    "quiet_days": round(quiet, 1),
                }
            )
    return found


def overdue(view: dict, today: date) -> list[dict]:
    """Active (not paused) goals whose due date has passed, with how many days ago."""
    return [
        {
            "goal_id": g["goal_id"],
            "statement": g["statement"],
            "due_on": g["due_on"],
            "days_overdue": (today - date.fromisoformat(g["due_on"])).days,
        }
        for g in sorted(view["goals"].values(), key=by_start)
        if g["status"] == "active" and g["due_on"] < today.isoformat()
    ]


def confidence(view: dict) -> dict:
    """Per open goal its latest confidence and trend delta; overall the mean delta and its direction."""
    goals = {}
    for goal in sorted(view["goals"].values(), key=by_start):
        if goal["status"] in OPEN:
            goals[goal["goal_id"]] = {
                "latest": goal["latest_confidence"],
                "delta": goal_clock.confidence_delta(confidence_series(goal)),
            }
    overall = goal_clock.overall_delta([entry["delta"] for entry in goals.values()])
    falling = overall is not None and overall <= goal_clock.FALLING_CONFIDENCE
    direction = (
        None if overall is None else "falling" if falling else "rising" if overall > 0 else "steady"
    )
    return {"goals": goals, "overall_delta": overall, "direction": direction}
