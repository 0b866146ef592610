"""A goal's momentum judged from the plan's own state: its wins, quiet days, progress and pace.

The formulas of the views (`projections.goal_clock`, `projections.roadmap`),
computed on the aggregate so a re-alignment check needs no projection. As
there, an event time counts on its UTC date and `today` is the client's date.

- a win is a completed milestone, a forward check-in (the metric moves toward
  its target; a done/not-done goal moves to done) or an achieved life-cycle.
  Unlike the views, a win taken back (a milestone reopened) no longer counts:
  the plan keeps no trace of it.
- quiet days: whole days from the latest of the last win, the (re)activation
  and the start date, to today, less the days paused in between.
- progress: (current − baseline) / (target − baseline) clamped to 0..1; a
  done/not-done goal is 0 or 1, or with milestones the share completed.
- pace: expected progress = elapsed / planned days (elapsed excludes paused
  days) against actual progress; the gap between them is how far behind.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from domain.goal import ACHIEVED, Goal
from domain.values import Measure


def is_forward(previous: float | None, value: float | None, measure: Measure) -> bool:
    """True if `value` moves the metric toward its target compared with `previous` (None: the baseline)."""
    if value is None:
        return False
    if measure.baseline is None or measure.target is None:
        return value == 1 and previous != 1
    previous = measure.baseline if previous is None else previous
    return value > previous if measure.target > measure.baseline else value < previous


def win_times(goal: Goal) -> list[datetime]:
    """When the goal's wins happened, in no particular order."""
    times = [m.completed_at for m in goal.milestones.values() if m.completed_at is not None]
    times += [past.closed_at for past in goal.past_lifecycles if past.outcome == ACHIEVED]
    if goal.status == ACHIEVED:
        times.append(goal.closed_at)
    measure, previous = goal.terms.measure, goal.terms.measure.baseline
    for check_in in goal.effective_check_ins():
        if is_forward(previous, check_in.value, measure):
            times.append(check_in.occurred_at)
        if check_in.value is not None:
            previous = check_in.value
    return times


def midnight(day: date) -> datetime:
    """The UTC moment `day` begins, as the views compare dates with event times."""
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def paused_days(goal: Goal, since: datetime, until: datetime) -> float:
    """Days (fractional) the goal spent paused between `since` and `until`."""
    total = 0.0
    for pause in goal.pauses:
        low, high = max(pause.started_at, since), min(pause.ended_at or until, until)
        if high > low:
            total += (high - low).total_seconds() / 86400
    return total


def quiet_days(goal: Goal, today: date) -> tuple[float, datetime]:
    """How many days the goal has gone without a win by `today`, and when that quiet spell began."""
    since = max([*win_times(goal), goal.active_since, midnight(goal.terms.start_on)])
    paused = paused_days(goal, since, midnight(today + timedelta(days=1)))
    return (today - since.astimezone(timezone.utc).date()).days - paused, since


def progress(goal: Goal) -> float:
    """0.0–1.0: the share of the way from baseline to target (see the module doc)."""
    if goal.status == ACHIEVED:
        return 1.0
    measure, value = goal.terms.measure, goal.current_value
    if measure.is_binary or measure.baseline is None or measure.target is None or measure.target == measure.baseline:
        done = 1.0 if value == 1 else 0.0
        live = [m for m in goal.milestones.values() if m.status != "removed"]
        if done < 1 and measure.target is None and live:
            return sum(m.status == "completed" for m in live) / len(live)
        return done
    return round(min(1.0, max(0.0, (value - measure.baseline) / (measure.target - measure.baseline))), 4)


def pace(goal: Goal, today: date) -> tuple[float, float]:
    """(expected, actual) progress of a started goal by `today`; behind when expected exceeds actual."""
    start, due = goal.terms.start_on, goal.terms.due_on
    elapsed = (today - start).days - paused_days(goal, midnight(start), midnight(today))
    return min(1.0, max(0.0, elapsed / max(1, (due - start).days))), progress(goal)
