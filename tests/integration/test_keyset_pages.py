"""Keyset pages in SQL, on SQLite and PostgreSQL: newest first, ties by id, nothing skipped or repeated."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from services.digests.run_pages import runs_page
from services.digests.tables import digest_runs

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _runs(engine, organisation_id: str, moments: list[datetime]) -> list[str]:
    rows = [
        {
            "run_id": str(uuid.uuid4()),
            "organisation_id": organisation_id,
            "kind": "weekly",
            "period_key": f"p{index}",
            "period_start": date(2026, 11, 16),
            "period_end": date(2026, 11, 22),
            "created_at": moment,
        }
        for index, moment in enumerate(moments)
    ]
    with engine.begin() as conn:
        conn.execute(digest_runs.insert(), rows)
    return [row["run_id"] for row in sorted(rows, key=lambda r: (r["created_at"], r["run_id"]))]


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_runs_page_newest_first_across_shared_moments(engine, limit):
    moments = [T0 + timedelta(seconds=index % 4, microseconds=index % 2) for index in range(23)]
    ours = _runs(engine, "org-a", moments)[::-1]  # newest first
    _runs(engine, "org-b", moments[:5])

    seen, after = [], None
    for _ in range(30):
        page, after = runs_page(engine, "org-a", after=after, limit=limit)
        assert 0 < len(page) <= limit
        seen += [run.run_id for run in page]
        if after is None:
            break
        after = (datetime.fromisoformat(after[0]), after[1])
    assert seen == ours


def test_a_position_past_the_oldest_run_is_an_empty_last_page(engine):
    _runs(engine, "org-a", [T0, T0])
    assert runs_page(engine, "org-a", after=(T0 - timedelta(days=1), "z")) == ([], None)
    assert runs_page(engine, "org-a", after=(T0, "")) == ([], None)
