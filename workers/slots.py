"""Time slots: the name of the period a periodic job fires for, so it can fire once per slot."""

from __future__ import annotations

from datetime import datetime


def daily(now: datetime) -> str:
    return now.date().isoformat()


def weekly(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def quarterly(now: datetime) -> str:
    return f"{now.year}-Q{(now.month - 1) // 3 + 1}"
