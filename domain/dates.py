"""Calendar arithmetic for the plan: month steps and the client's local today."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from domain.errors import NaiveDatetime


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def local_today(now: datetime, timezone_name: str | None) -> date:
    """The date it is for the client at `now`, in their own time zone (UTC before enrolment)."""
    return now.astimezone(ZoneInfo(timezone_name) if timezone_name else timezone.utc).date()


def end_of_day(day: date, timezone_name: str | None) -> datetime:
    """The last instant (UTC, to the microsecond) of `day` in the time zone: what "as on that day" includes."""
    zone = ZoneInfo(timezone_name) if timezone_name else timezone.utc
    next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return next_midnight.astimezone(timezone.utc) - timedelta(microseconds=1)


def require_aware(moment: datetime, what: str) -> datetime:
    """The moment in UTC; refuses a naive datetime, which would be ambiguous across zones."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetime(
            f"{what} must be a datetime with a time zone (UTC ISO 8601), got {moment!r}"
        )
    return moment.astimezone(timezone.utc)
