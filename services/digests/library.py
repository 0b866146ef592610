"""Stored digests as a caller reads them: a page of summaries, or one digest whole.

An organisation reads its own digests only; a coach key reads only its own
clients' digests and its own coach digests (its subjects), so another
coach's digest is "not found" to it, exactly as one that does not exist.
"""

from __future__ import annotations

import sqlalchemy as sa

from projections.tables import LIVE
from services.access.api_key_records import Principal
from services.digests.tables import digests

_SUMMARY = (
    digests.c.digest_id,
    digests.c.subject,
    digests.c.kind,
    digests.c.period_key,
    digests.c.created_at,
    digests.c.provisional,
)


def digest_page(
    engine: sa.Engine,
    caller: Principal,
    *,
    client_id: str | None = None,
    kind: str | None = None,
    period_key: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[dict], str | None]:
    """Summaries of the digests `caller` may read, in id order after `after`; and the next page's cursor."""
    select = sa.select(*_SUMMARY).where(digests.c.organisation_id == caller.organisation_id)
    if client_id:
        select = select.where(digests.c.subject == f"client:{client_id}")
    if kind:
        select = select.where(digests.c.kind == kind)
    if period_key:
        select = select.where(digests.c.period_key == period_key)
    if after:
        select = select.where(digests.c.digest_id > after)
    with engine.connect() as conn:
        visible = _visible_subjects(conn, caller)
        if visible is not None:
            select = select.where(digests.c.subject.in_(visible))
        rows = conn.execute(select.order_by(digests.c.digest_id).limit(limit + 1)).mappings().all()
    items = [dict(r) for r in rows[:limit]]
    return items, items[-1]["digest_id"] if len(rows) > limit else None


def digest_of(engine: sa.Engine, caller: Principal, digest_id: str) -> dict | None:
    """The digest whole (JSON, Markdown and HTML), or None when `caller` may not read it or it does not exist."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(digests).where(
                    digests.c.digest_id == digest_id,
                    digests.c.organisation_id == caller.organisation_id,
                )
            )
            .mappings()
            .first()
        )
        visible = _visible_subjects(conn, caller)
    if row is None or (visible is not None and row["subject"] not in visible):
        return None
    return dict(row)


def _visible_subjects(conn: sa.Connection, caller: Principal) -> list[str] | None:
    """The subjects a coach key may read (its clients and itself); None for admins and auditors."""
    if caller.role != "coach":
        return None
    views = LIVE.client_views
    clients = conn.execute(
        sa.select(views.c.client_id).where(
            views.c.organisation_id == caller.organisation_id, views.c.coach_id == caller.coach_id
        )
    ).scalars()
    return [f"client:{c}" for c in clients] + [f"coach:{caller.coach_id}"]
