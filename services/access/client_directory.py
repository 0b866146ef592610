"""The clients of an organisation (or of one coach), a page at a time, from the client views.

Reads the `client_views` projection (joined with `caseload_rows` for the
display name), so it is as fresh as the projection: a client enrolled a
moment ago appears once the projection has caught up. Pages are keyed by
client id, so a cursor stays valid while clients are added.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from projections.tables import LIVE


@dataclass(frozen=True)
class ClientSummary:
    client_id: str
    coach_id: str
    display_name: str
    version: int


@dataclass(frozen=True)
class ClientPage:
    """One page of clients; `next_after` is the client id to continue after (None on the last page)."""

    items: list[ClientSummary]
    next_after: str | None


class ClientDirectory:
    """Lists clients from the read views."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def page(
        self,
        organisation_id: str,
        *,
        coach_id: str | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> ClientPage:
        """Up to `limit` clients after `after`, ordered by client id."""
        views, caseload = LIVE.client_views, LIVE.caseload_rows
        query = (
            sa.select(views.c.client_id, views.c.coach_id, caseload.c.display_name, views.c.version)
            .join(caseload, caseload.c.client_id == views.c.client_id)
            .where(views.c.organisation_id == organisation_id)
            .order_by(views.c.client_id)
            .limit(limit + 1)
        )
        if coach_id is not None:
            query = query.where(views.c.coach_id == coach_id)
        if after is not None:
            query = query.where(views.c.client_id > after)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        items = [ClientSummary(*row) for row in rows[:limit]]
        return ClientPage(items, items[-1].client_id if len(rows) > limit else None)
