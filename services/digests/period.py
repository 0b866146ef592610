"""Digest periods: which dates a weekly or quarterly digest covers, and its stable key.

The key ("2026-W48", "2026-Q4") names the period in storage, so a client gets
exactly one digest per period: a re-run or a redelivered message on any day
computes the same key. By default a digest covers the last *complete* period
before `today` (a Monday run reports the week that just ended), so its wins
do not change with the day the batch happens to run.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.dates import add_months

KINDS = ("weekly", "quarterly")


def period_for(kind: str, today: date, current: bool = False) -> tuple[date, date, str]:
    """(start, end, key) of the last complete weekly/quarterly period before `today`, both ends inclusive.

    With `current=True`, the period that contains `today` instead.
    """
    if kind == "weekly":
        start = today - timedelta(days=today.weekday())
        if not current:
            start -= timedelta(weeks=1)
        end = start + timedelta(days=6)
    elif kind == "quarterly":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if not current:
            start = add_months(start, -3)
        end = add_months(start, 3) - timedelta(days=1)
    else:
        raise ValueError(f"unknown digest period {kind!r}: expected one of {', '.join(KINDS)}")
    return start, end, period_key(start, end)


def period_key(start: date, end: date) -> str:
    """ "2026-W48" for an ISO week, "2026-Q4" for a calendar quarter, else "2026-11-01..2026-11-30"."""
    if end < start:
        raise ValueError(f"a digest period cannot end ({end}) before it starts ({start})")
    year, week, weekday = start.isocalendar()
    if weekday == 1 and end == start + timedelta(days=6):
        return f"{year}-W{week:02d}"
    if start.day == 1 and start.month % 3 == 1 and end == add_months(start, 3) - timedelta(days=1):
        return f"{start.year}-Q{start.month // 3 + 1}"
    return f"{start.isoformat()}..{end.isoformat()}"


def period_section(start: date, end: date) -> dict:
    """A digest's `period`: its first and last day and its key, as every kind of digest states it."""
    return {"start": start.isoformat(), "end": end.isoformat(), "key": period_key(start, end)}
