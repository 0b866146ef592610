"""The client-view projection: one read model per client, and its caseload row.

Each row depends on its own client's stream only, which is what lets a rebuild
fold stream by stream while the live runner follows the global feed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from eventstore import StoredEvent
from eventstore.streams import events_by_client
from projections import client_view
from projections.tables import LIVE, ViewTables, view_tables
from projections.upsert import upsert


class ClientViewProjection:
    """Keeps `client_views` and `caseload_rows` up to date from career-plan events."""

    name = "client_views"
    read_model = True
    rebuildable = True
    event_types = None

    def __init__(self, tables: ViewTables = LIVE):
        self.tables = tables
        views = tables.client_views
        # Built once: read on every batch, which after a command is every request's refresh.
        self._stored_views = sa.select(views.c.client_id, views.c.view).where(
            views.c.client_id.in_(sa.bindparam("client_ids", expanding=True))
        )

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        """Fold a batch of events into the views of the clients they concern."""
        by_client = events_by_client(events)
        if not by_client:
            return
        views = dict(conn.execute(self._stored_views, {"client_ids": list(by_client)}).all())
        for table, rows in self._rows(by_client, views).items():
            upsert(conn, table, rows, key="client_id")

    def fold_streams(self, events: Sequence[StoredEvent]) -> dict[sa.Table, list[dict]]:
        """The rows of the clients whose whole streams these are, folded from their first event."""
        return self._rows(events_by_client(events), {})

    def _rows(
        self, by_client: dict[str, list[StoredEvent]], views: dict[str, dict]
    ) -> dict[sa.Table, list[dict]]:
        view_rows, caseload_rows = [], []
        for client_id, client_events in by_client.items():
            view = views.get(client_id) or client_view.new_view(client_id)
            for event in client_events:
                client_view.apply(view, event)
            row = client_view.caseload_row(view)
            keys = {
                "client_id": client_id,
                "organisation_id": row["organisation_id"],
                "coach_id": row["coach_id"],
                "status": client_view.status_of(view),
            }
            view_rows.append({**keys, "version": client_events[-1].stream_version, "view": view})
            caseload_rows.append({**keys, "display_name": row["display_name"], "row": row})
        return {self.tables.client_views: view_rows, self.tables.caseload_rows: caseload_rows}

    def clear(self, conn: sa.Connection) -> None:
        """Empty the views (before a rebuild from the first event)."""
        for table in self.tables.all:
            conn.execute(table.delete())

    def __reduce__(self):
        # Sent to a rebuild's worker processes: rebuilt there on the same tables, by their names.
        return _on_tables, (self.tables.client_views.name.removesuffix("client_views"),)


def _on_tables(prefix: str) -> ClientViewProjection:
    return ClientViewProjection(LIVE if not prefix else view_tables(prefix))
