"""A goal's momentum in numbers: wins, last win, quiet days, progress, expected progress and pace.

The one home of these formulas: the re-alignment check applies them to the
plan's `Goal`s and the views (roadmap, momentum, caseload, digests) to their
JSON goal dicts, so the `goal_stalled` finding, momentum's and the caseload's
"stalled" and the roadmap's pace cannot disagree about a goal. Arguments are
plain values: numbers, dates, and moments given either as aware UTC datetimes
(the plan) or as their UTC ISO strings (the views), which order alike. A
moment counts on its UTC date; `today` is the client's date.

- win: a completed milestone, an achieved life-cycle, or a forward check-in:
  one whose value moves the metric toward its target from the previous
  effective value (the baseline at first); a done/not-done goal moves
  forward when a check-in says done (1) after not done. Check-ins are judged
  under the goal's current measure, corrections applied.
- a reopened milestone's win is taken back: it no longer counts for the last
  win, the quiet days or the weekly wins. A coach reopens a milestone because
  the step was not done after all, so the client was not active then, and the
  plan itself keeps no trace of the completion. What cannot be taken back
  stays a win: a removed milestone's completion, a reopened goal's achieved
  life-cycle.
- quiet since: the latest of the last win, the (re)activation and the start
  date (its UTC midnight), so a goal not started yet is never stalled.
- quiet days: whole days from the quiet-since date to today, less the days
  (fractional) paused since then; a goal is stalled at `stall_days` of them.
- progress: (current − baseline) / (target − baseline) clamped to 0..1 and
  rounded to 4 places; a done/not-done goal is 0 or 1, or, while not done,
  the share of its milestones completed when those are given; achieved is 1.
- expected progress: elapsed / planned days, clamped to 0..1, where elapsed
  leaves out the days paused since the start (a pause pushes it back).
- pace, on the gap = expected − actual progress: on track while gap ≤ 0.10,
  behind while ≤ 0.25, else at risk; at risk too once past due and not done;
  a done goal is on track. The check's `pace_at_risk` finding compares the
  same gap with the organisation's `pace_at_risk_gap` while the goal is due.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timezone

Moment = datetime | str
ON_TRACK_GAP, BEHIND_GAP = 0.10, 0.25


def is_forward(
    previous: float | None, value: float | None, baseline: float | None, target: float | None
) -> bool:
    """True if `value` moves the metric toward its target compared with `previous` (None: the baseline)."""
    if value is None:
        return False
    if baseline is None or target is None:
        return value == 1 and previous != 1
    previous = baseline if previous is None else previous
    return value > previous if target > baseline else value < previous


def forward_check_ins(
    values: Iterable[float | None], baseline: float | None, target: float | None
) -> list[bool]:
    """For effective check-in values in time order, which are wins (each judged against the last value)."""
    flags, previous = [], baseline
    for value in values:
        flags.append(is_forward(previous, value, baseline, target))
        if value is not None:
            previous = value
    return flags


def last_win(*moments: Iterable[Moment | None]) -> Moment | None:
    """The latest moment of any of the given groups of win moments (None: no win)."""
    return max((moment for group in moments for moment in group if moment), default=None)


def midnight(day: date | str) -> datetime:
    """The UTC moment an ISO date (or a timestamp's date) begins."""
    day = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def quiet_since(last_win_at: Moment | None, activated_at: Moment, start_on: date | str) -> Moment:
    """When the goal's current quiet spell began, in the kind of moment `activated_at` is.

    The views' moments are UTC ISO strings, which compare as text.
    """
    if isinstance(activated_at, str):
        start: Moment = f"{str(start_on)[:10]}T00:00:00+00:00"
    else:
        start = midnight(start_on)
    return max(moment for moment in (last_win_at, activated_at, start) if moment)


def _instant(moment: Moment) -> datetime:
    return moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)


def paused_days(
    pauses: Iterable[Sequence[Moment | None]], since: Moment, until: Moment | None = None
) -> float:
    """Days (fractional) paused between `since` and `until`; an open pause runs to `until` (no end: not counted)."""
    if not pauses:  # most goals: nothing to parse
        return 0.0
    since, until, total = _instant(since), until and _instant(until), 0.0
    for started, ended in pauses:
        low = max(_instant(started), since)
        high = _instant(ended) if ended is not None else until
        if until is not None and high is not None and high > until:
            high = until
        if high is not None and high > low:
            total += (high - low).total_seconds() / 86400
    return total


def quiet_days(since: Moment, paused: float, today: date) -> float:
    """Whole days from `since`'s UTC date to `today`, less `paused` days."""
    day = (
        date.fromisoformat(since[:10])
        if isinstance(since, str)
        else since.astimezone(timezone.utc).date()
    )
    return (today - day).days - paused


def quiet(
    last_win_at: Moment | None,
    activated_at: Moment,
    start_on: date | str,
    pauses: Iterable[Sequence[Moment | None]],
    today: date,
) -> tuple[float, Moment]:
    """(quiet days by `today`, quiet since) of a goal: what "stalled" is judged on."""
    since = quiet_since(last_win_at, activated_at, start_on)
    return quiet_days(since, paused_days(pauses, since), today), since


def progress(
    baseline: float | None,
    target: float | None,
    current: float | None,
    achieved: bool = False,
    milestones: tuple[int, int] = (0, 0),
) -> float:
    """0.0–1.0 of the way from baseline to target; `milestones` (completed, total) pace a done/not-done goal."""
    if achieved:
        return 1.0
    if baseline is None or target is None or target == baseline:
        done, total = milestones
        if current != 1 and target is None and total:
            return done / total
        return 1.0 if current == 1 else 0.0
    return round(min(1.0, max(0.0, (current - baseline) / (target - baseline))), 4)


def expected_progress(
    start: date, due: date, today: date, pauses: Iterable[Sequence[Moment | None]]
) -> float:
    """0.0–1.0: the share of the planned days elapsed by `today`, days paused since the start left out."""
    paused = paused_days(pauses, midnight(start), midnight(today))
    return min(1.0, max(0.0, ((today - start).days - paused) / max(1, (due - start).days)))


def pace(expected: float, actual: float, today: date, due: date) -> str:
    """On track, behind or at risk: a started, active goal's pace by `today` (see the module doc)."""
    if actual >= 1:
        return "on track"
    if today > due:
        return "at risk"
    gap = expected - actual
    return "on track" if gap <= ON_TRACK_GAP else "behind" if gap <= BEHIND_GAP else "at risk"
