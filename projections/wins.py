"""Wins — completed milestones, achieved goals, forward check-ins — counted per ISO week and per day.

A win counts on the UTC date it happened (`occurred_at`). The counters are
compact (one key per week or day that had a win), so a client's view stays
small however many events they have; momentum reads only these counters.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from domain.goal_formulas import last_win

KINDS = ("milestones", "goals", "check_ins")


@lru_cache(maxsize=8192)
def week_of(day: str) -> str:
    """The ISO week key ("2026-W03") of an ISO date, or of a timestamp's first ten characters."""
    year, week, _ = date.fromisoformat(day[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def count_win(view: dict, goal: dict, kind: str, at: str, delta: int = 1) -> None:
    """Count one win of `kind` at `at` (delta 1), or take one back (delta -1).

    Which wins count, and that a reopened milestone's is taken back, is
    `domain.goal_formulas`' rule. Check-in wins are judged again whenever an
    earlier check-in arrives, one is corrected or the measure changes, and a
    milestone win taken back is forgotten (`forget_milestone_win`); both then
    settle `last_win_at` from what counts, so facts back-filled in any order
    end where live ones would have.
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
        if kind != "check_ins" and (goal.get("other_win_at") is None or at > goal["other_win_at"]):
            goal["other_win_at"] = at
        if goal["last_win_at"] is None or at > goal["last_win_at"]:
            goal["last_win_at"] = at
        if view["last_win_at"] is None or at > view["last_win_at"]:
            view["last_win_at"] = at


def forget_milestone_win(goal: dict) -> None:
    """Set `other_win_at` again after a milestone's win was taken back, from the wins that still count.

    Those are the goal's completed milestones, the latest removed completed
    one (`removed_win_at`) and its achieved life-cycles.
    """
    achieved = [
        past["closed_at"] for past in goal["past_lifecycles"] if past["outcome"] == "achieved"
    ]
    if goal["status"] == "achieved":
        achieved.append(goal["closed_at"])
    milestones = [milestone["completed_at"] for milestone in goal["milestones"].values()]
    goal["other_win_at"] = last_win(milestones, achieved, [goal.get("removed_win_at")])


def settle_last_win(view: dict, goal: dict, check_in_win_at: str | None) -> None:
    """Set the goal's and the client's last win once the goal's check-in wins were judged again.

    `other_win_at` is the goal's latest milestone or goal win that still
    counts (a view folded before it was kept falls back to the last win it had).
    """
    other = goal.get("other_win_at", goal["last_win_at"])
    goal["last_win_at"] = last_win([other, check_in_win_at])
    view["last_win_at"] = last_win(g["last_win_at"] for g in view["goals"].values())
