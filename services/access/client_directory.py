"""The clients of an organisation (or of one coach), a page at a time, from the client views.

Reads the `client_views` projection (joined with `caseload_rows` for the
display name), so it is as fresh as the projection: a client enrolled a
moment ago appears once the projection has caught up. Pages are keyed by
client id, so a cursor stays valid while clients are added.

Filters: the coach, the status (active or archived; both when not given)
and whether the client needs attention: active, and ranked with a positive
score by the caseload (`projections.caseload.attention`) as of a given day.
Attention is judged at read time, so that filter scans the rows in client-id
order, a chunk at a time, until the page is full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from projections import caseload as ranking
from projections.tables import LIVE

STATUSES = ("active", "archived")
SCAN_CHUNK = 500


@dataclass(frozen=True)
class ClientSummary:
    client_id: str
    coach_id: str
    display_name: str
    version: int
    status: str


@dataclass(frozen=True)
class ClientPage:
    """One page of clients; `next_after` is the client id to continue after (None on the last page)."""

    items: list[ClientSummary]
    next_after: str | None


@dataclass(frozen=True)
class Attention:
    """The needs-attention filter: `wanted` True keeps only clients needing attention, False the others."""

    wanted: bool
    today: date
    stall_days: int = 21

    def matches(self, status: str, row: dict) -> bool:
        needs = (
            status == "active" and ranking.attention(row, self.today, self.stall_days)["score"] > 0
        )
        return needs == self.wanted


class ClientDirectory:
    """Lists clients from the read views."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def page(
        self,
        organisation_id: str,
        *,
        coach_id: str | None = None,
        status: str | None = None,
        attention: Attention | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> ClientPage:
        """Up to `limit` clients after `after` that pass the filters, ordered by client id."""
        views, caseload = LIVE.client_views, LIVE.caseload_rows
        query = (
            sa.select(
                views.c.client_id,
                views.c.coach_id,
                caseload.c.display_name,
                views.c.version,
                views.c.status,
                *((caseload.c.row,) if attention is not None else ()),
            )
            .join(caseload, caseload.c.client_id == views.c.client_id)
            .where(views.c.organisation_id == organisation_id)
            .order_by(views.c.client_id)
        )
        if coach_id is not None:
            query = query.where(views.c.coach_id == coach_id)
        if status is not None:
            query = query.where(views.c.status == status)
        with self._engine.connect() as conn:
            if attention is None:
                rows = conn.execute(_after(query, after).limit(limit + 1)).all()
            else:
                rows = _scan(conn, query, attention, after, limit + 1)
        items = [ClientSummary(*row[:5]) for row in rows[:limit]]
        return ClientPage(items, items[-1].client_id if len(rows) > limit else None)


def _after(query: sa.Select, after: str | None) -> sa.Select:
    return query if after is None else query.where(LIVE.client_views.c.client_id > after)


def _scan(
    conn: sa.Connection, query: sa.Select, attention: Attention, after: str | None, wanted: int
) -> list[sa.Row]:
    """Up to `wanted` rows after `after` that pass the attention filter, a chunk of rows at a time."""
    found: list[sa.Row] = []
    while len(found) < wanted:
        chunk = conn.execute(_after(query, after).limit(SCAN_CHUNK)).all()
        found += [row for row in chunk if attention.matches(row.status, row.row)]
        if len(chunk) < SCAN_CHUNK:
            break
        after = chunk[-1].client_id
    return found[:wanted]
