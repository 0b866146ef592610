"""Wins — completed milestones, achieved goals, forward check-ins — counted per ISO week and per day.

A win counts on the UTC date it happened (`occurred_at`). The counters are
compact (one key per week or day that had a win), so a client's view stays
small however many events they have; momentum reads only these counters.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

KINDS = ("milestones", "goals", "check_ins")


@lru_cache(maxsize=8192)
def week_of(day: str) -> str:
    """The ISO week key ("2026-W03") of an ISO date, or of a timestamp's first ten characters."""
    year, week, _ = date.fromisoformat(day[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def count_win(view: dict, goal: dict, kind: str, at: str, delta: int = 1) -> None:
    """Count one win of `kind` at `at` (delta 1), or take one back (delta -1).

    Taking a win back (a milestone reopened, a corrected check-in no longer
    forward) does not move `last_win_at` back: the client was active then.
    Counters that reach zero are removed, so the view holds only real wins.
    """
    day = at[:10]
    week = week_of(day)
    weeks = view["wins"]
    counts = weeks.get(week)
    if counts is None:
        counts = weeks[week] = {"milestones": 0, "goals": 0, "check_ins": 0}
    counts[kind] += delta
    if not (counts["milestones"] or counts["goals"] or counts["check_ins"]):
        del weeks[week]
    days = view["win_days"]
    total = days.get(day, 0) + delta
    if total:
        days[day] = total
    else:
        days.pop(day, None)
    if delta > 0:
        if goal["last_win_at"] is None or at > goal["last_win_at"]:
            goal["last_win_at"] = at
        if view["last_win_at"] is None or at > view["last_win_at"]:
            view["last_win_at"] = at


def is_forward(previous: Any, value: Any, measure: dict) -> bool:
    """True if `value` moves the goal's metric toward its target compared with `previous`.

    A metric moves up when its target is above its baseline, down otherwise;
    `previous` None means the baseline. A done/not-done goal moves forward
    when a check-in says done (1) after not done (0 or no value).
    """
    if value is None:
        return False
    baseline, target = measure["baseline"], measure["target"]
    if baseline is None or target is None:
        return value == 1 and previous != 1
    if previous is None:
        previous = baseline
    return value > previous if target > baseline else value < previous
