"""Client views as the API reads them: roadmap, momentum, findings, caseload, history, export.

Read-your-writes lives here. Commands leave the views to whoever reads them
next (or the follower): a read whose request found the client's view behind
its events (`ClientReach.behind`, from the one statement that also read the
caller's key) refreshes the views first, with every other client's pending
events in the same batch, and a read across clients brings the views up to
the head of the feed. A refresh that fails is logged and the read goes on
with the views as they stand: the events are safe, and the follower catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor
from projections import queries
from projections.alignment_events import current_findings
from projections.runner import ProjectionRunner
from services.access.client_access import ClientOwners
from services.access.request_access import Caller, ClientReach
from services.coaches.actors import with_actors, with_actors_streamed
from services.plans.event_mapping import stream_id

log = logging.getLogger(__name__)


class ClientViews:
    """The read side of a client's plan, kept current for the caller who just wrote it."""

    def __init__(
        self,
        engine: sa.Engine,
        store: EventStore,
        projections: ProjectionRunner,
        owners: ClientOwners,
    ):
        self._engine = engine
        self._store = store
        self._projections = projections
        self._owners = owners

    def current(self, reach: ClientReach) -> ClientReach:
        """`reach` with owner and view brought up to the client's last event when the view lagged.

        Still behind after the refresh (it waits on an older transaction, or the
        client is forgotten): the events decide who may reach the client; the
        view, if any, is served as it stands.
        """
        if reach.behind is None:
            return reach
        self.refresh_to(reach.behind)
        found = self._owners.owner_and_view(reach.client_id)
        owner = (
            found.owner if found.behind is None else self._owners.owner_from_events(reach.client_id)
        )
        return ClientReach(reach.client_id, owner, found.view)

    def refresh_to(self, until: FeedCursor) -> None:
        """Bring the views up to `until` (a feed cursor) when they lag behind it."""
        try:
            self._projections.refresh_to(until)
        except Exception:  # noqa: BLE001
            log.exception("refreshing the views before a read failed; serving them as they stand")

    def refresh_all(self) -> None:
        """Bring the views up to the head of the feed, before a read across clients."""
        self.refresh_to(self._store.head())

    def view(self, caller: Caller, client_id: str) -> dict | None:
        """The client's view: as the request's first statement read it, else read now; None when there is none."""
        view = caller.view_of(client_id)
        if view is None:
            with self._store.reader.connect() as conn:
                view = queries.client_view(conn, caller.principal.organisation_id, client_id)
        return view

    def roadmap(self, view: dict, today: date) -> dict:
        """The roadmap as of `today`."""
        return queries.roadmap_of(view, today)

    def momentum(self, view: dict, today: date, stall_days: int) -> dict:
        """The momentum as of `today`."""
        return queries.momentum_of(view, today, stall_days)

    def findings(self, view: dict) -> dict:
        """The client's current re-alignment findings."""
        return current_findings(view)

    def caseload(
        self, organisation_id: str, today: date, coach_id: str | None, stall_days: int
    ) -> list[dict]:
        """An organisation's (or one coach's) clients, those needing attention first, the views current."""
        self.refresh_all()
        with self._engine.connect() as conn:
            return queries.caseload_of(conn, organisation_id, today, coach_id, stall_days)

    def history(self, view: dict, client_id: str, **page) -> queries.HistoryPage:
        """A page of the client's event history, each change described with the names in `view`
        and its actor as a person (`actor`, resolved for the whole page at once)."""
        found = queries.history_page(self._store, view, client_id, **page)
        return replace(found, entries=with_actors(self._store.reader, found.entries))

    def export(self, client_id: str) -> Iterator[dict]:
        """Every event of the client's history as an auditor reads it, with its actor, oldest first."""
        records = (queries.event_record(e) for e in self._store.read_stream(stream_id(client_id)))
        return with_actors_streamed(self._store.reader, records)
