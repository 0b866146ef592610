"""The organisation's digest runs, a page at a time: newest first, each with its progress."""

from __future__ import annotations

import sqlalchemy as sa

from services.digests.runs import RunStatus, status_from
from services.digests.tables import digest_run_items, digest_runs
from services.keyset import Position, moment_position, newest_first, page_of


def runs_page(
    engine: sa.Engine, organisation_id: str, after: Position | None = None, limit: int = 50
) -> tuple[list[RunStatus], list[str] | None]:
    """A page of the organisation's runs, newest first (ties by id), and the position after it.

    The progress of the page's runs is counted from their items in one query.
    """
    select = sa.select(digest_runs).where(digest_runs.c.organisation_id == organisation_id)
    select = newest_first(select, digest_runs.c.created_at, digest_runs.c.run_id, after, limit)
    with engine.connect() as conn:
        rows, position = page_of(
            conn.execute(select).mappings().all(),
            limit,
            lambda run: moment_position(run["created_at"], run["run_id"]),
        )
        counted = conn.execute(
            sa.select(digest_run_items.c.run_id, digest_run_items.c.status, sa.func.count())
            .where(digest_run_items.c.run_id.in_([run["run_id"] for run in rows]))
            .group_by(digest_run_items.c.run_id, digest_run_items.c.status)
        ).all()
    counts: dict[str, dict[str, int]] = {}
    for run_id, status, count in counted:
        counts.setdefault(run_id, {})[status] = count
    return [status_from(run, counts.get(run["run_id"], {})) for run in rows], position
