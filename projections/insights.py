"""The insights projection: per client, the fact rows the cohort insight aggregates.

Like the client-view projection, each client's rows depend on its own stream
only (a rebuild folds stream by stream), and a batch rewrites the rows of the
clients it concerns: the state is upserted, the fact rows deleted and
inserted again, so a reassigned coach, a retired requirement or a reopened
goal never leaves a stale row behind. A forgotten client's events reach no
projection (the runner skips them) and erasure deletes their rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from eventstore import StoredEvent
from eventstore.streams import events_by_client
from projections import insight_facts
from projections.insight_tables import LIVE_INSIGHTS, InsightTables, insight_tables
from projections.upsert import upsert


class InsightsProjection:
    """Keeps the `insight_*` tables up to date from career-plan events."""

    name = "insights"
    # Read across an organisation only: the insight read brings it current itself, so a
    # command's inline refresh does not wait on it.
    read_model = False
    rebuildable = True
    event_types = None

    def __init__(self, tables: InsightTables = LIVE_INSIGHTS):
        self.tables = tables
        clients = tables.clients
        self._stored = sa.select(clients.c.client_id, clients.c.state).where(
            clients.c.client_id.in_(sa.bindparam("client_ids", expanding=True))
        )

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        """Fold a batch of events into the states of the clients they concern, and rewrite their rows."""
        by_client = events_by_client(events)
        if not by_client:
            return
        states = dict(conn.execute(self._stored, {"client_ids": list(by_client)}).all())
        rewrite: dict[str, set[str]] = {role: set() for role in self.tables.facts}
        rows = self._rows(by_client, states, rewrite)
        for role, table in self.tables.facts.items():
            if not rewrite[role]:
                continue
            conn.execute(table.delete().where(table.c.client_id.in_(sorted(rewrite[role]))))
            written = [row for row in rows[table] if row["client_id"] in rewrite[role]]
            if written:
                conn.execute(table.insert(), written)
        upsert(conn, self.tables.clients, rows[self.tables.clients], key="client_id")

    def fold_streams(self, events: Sequence[StoredEvent]) -> dict[sa.Table, list[dict]]:
        """The rows of the clients whose whole streams these are, folded from their first event."""
        return self._rows(events_by_client(events), {})

    def _rows(
        self,
        by_client: dict[str, list[StoredEvent]],
        states: dict[str, dict],
        rewrite: dict[str, set[str]] | None = None,
    ) -> dict[sa.Table, list[dict]]:
        """Each table's rows of the clients after their events.

        With `rewrite`, each fact table's role gets the clients whose rows
        differ from those of their stored state: most events (a re-alignment
        check, a milestone) change a client's state but few of its fact rows,
        and rows left as they were need not be deleted and inserted again.
        """
        rows: dict[sa.Table, list[dict]] = {table: [] for table in self.tables.all}
        roles = {"clients": self.tables.clients, **self.tables.facts}
        for client_id, client_events in by_client.items():
            stored = states.get(client_id)
            before = None
            if rewrite is not None and stored is not None:
                before = insight_facts.facts(stored) or {}
            state = stored or insight_facts.new_state(client_id)
            for event in client_events:
                insight_facts.apply(state, event)
            after = insight_facts.facts(state) or {}
            for role, role_rows in after.items():
                rows[roles[role]].extend(role_rows)
            if rewrite is not None:
                for role, clients in rewrite.items():
                    if before is None or before.get(role, []) != after.get(role, []):
                        clients.add(client_id)
        return rows

    def clear(self, conn: sa.Connection) -> None:
        """Empty the tables (before a rebuild from the first event)."""
        for table in self.tables.all:
            conn.execute(table.delete())

    def __reduce__(self):
        # Sent to a rebuild's worker processes: rebuilt there on the same tables, by their names.
        return _on_tables, (self.tables.clients.name.removesuffix("insight_clients"),)


def _on_tables(prefix: str) -> InsightsProjection:
    return InsightsProjection(LIVE_INSIGHTS if not prefix else insight_tables(prefix))
