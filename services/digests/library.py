"""Stored digests as a caller reads them: a page of summaries, or one digest whole.

An organisation reads its own digests only; a coach key reads only its own
clients' digests and its own coach digests (its subjects), so another
coach's digest, or the organisation's, is "not found" to it, exactly as one
that does not exist.
"""

from __future__ import annotations

import sqlalchemy as sa

from projections.tables import LIVE
from services.access.api_key_records import Principal
from services.digests.tables import digests
from services.keyset import Position, moment_position, newest_first, page_of

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
    subject_kind: str | None = None,
    period_key: str | None = None,
    after: Position | None = None,
    limit: int = 50,
) -> tuple[list[dict], list[str] | None]:
    """A page of summaries of the digests `caller` may read, newest first, and the position after it.

    Newest first by `created_at`, ties by id; `after` is the position
    (`services.keyset`) after the previous page's last digest. `kind` is the
    period's (weekly, quarterly); `subject_kind` whose digest (client, coach,
    organisation).
    """
    select = sa.select(*_SUMMARY).where(digests.c.organisation_id == caller.organisation_id)
    if client_id:
        select = select.where(digests.c.subject == f"client:{client_id}")
    if kind:
        select = select.where(digests.c.kind == kind)
    if subject_kind:
        select = select.where(digests.c.subject.startswith(f"{subject_kind}:", autoescape=True))
    if period_key:
        select = select.where(digests.c.period_key == period_key)
    with engine.connect() as conn:
        visible = _visible_subjects(conn, caller)
        if visible is not None:
            select = select.where(digests.c.subject.in_(visible))
        select = newest_first(select, digests.c.created_at, digests.c.digest_id, after, limit)
        rows = conn.execute(select).mappings().all()
    return page_of(
        [dict(r) for r in rows], limit, lambda d: moment_position(d["created_at"], d["digest_id"])
    )


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
