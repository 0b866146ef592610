"""Digest periods: the last complete ISO week or calendar quarter, and keys that are the same all period long."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.digests import period_for, period_key


@pytest.mark.parametrize(
    ("kind", "today", "current", "expected"),
    [
        ("weekly", date(2026, 11, 25), False, (date(2026, 11, 16), date(2026, 11, 22), "2026-W47")),
        ("weekly", date(2026, 11, 25), True, (date(2026, 11, 23), date(2026, 11, 29), "2026-W48")),
        (
            "weekly",
            date(2027, 1, 4),
            False,
            (date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
        ),  # ISO year
        ("weekly", date(2026, 1, 1), True, (date(2025, 12, 29), date(2026, 1, 4), "2026-W01")),
        ("quarterly", date(2026, 11, 25), False, (date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")),
        ("quarterly", date(2026, 11, 25), True, (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")),
        ("quarterly", date(2026, 2, 10), False, (date(2025, 10, 1), date(2025, 12, 31), "2025-Q4")),
        ("quarterly", date(2028, 5, 1), False, (date(2028, 1, 1), date(2028, 3, 31), "2028-Q1")),
    ],
)
def test_period_for_names_the_period_and_its_inclusive_dates(kind, today, current, expected):
    assert period_for(kind, today, current=current) == expected


def test_every_day_of_a_period_gives_the_same_key_so_a_rerun_cannot_duplicate():
    monday = date(2026, 11, 23)
    assert {period_for("weekly", monday + timedelta(days=n))[2] for n in range(7)} == {"2026-W47"}
    quarter = {period_for("quarterly", date(2026, 10, 1) + timedelta(days=n))[2] for n in range(92)}
    assert quarter == {"2026-Q3"}


def test_other_ranges_are_keyed_by_their_dates_and_bad_input_is_refused():
    assert period_key(date(2026, 11, 1), date(2026, 11, 30)) == "2026-11-01..2026-11-30"
    assert (
        period_key(date(2026, 11, 24), date(2026, 11, 30)) == "2026-11-24..2026-11-30"
    )  # not a Monday
    with pytest.raises(ValueError, match="cannot end"):
        period_key(date(2026, 11, 30), date(2026, 11, 1))
    with pytest.raises(ValueError, match="weekly, quarterly"):
        period_for("monthly", date(2026, 11, 30))
