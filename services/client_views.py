"""Client views as the API reads them: roadmap (JSON or CSV), momentum, findings, caseload, history, feed, exports.

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
from itertools import islice

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor
from projections import queries
from projections.alignment_events import current_findings, finding_order
from projections.runner import ProjectionRunner
from services.access.client_access import ClientOwners
from services.access.request_access import Caller, ClientReach
from services.coaches.actors import (
    describe_recorded,
    recorded_actor,
    with_actors,
    with_actors_streamed,
)
from services.event_feed import (
    EXPORT_CHUNK,
    ExportLine,
    ExportText,
    FeedItems,
    OrganisationFeed,
    Position,
)
from services.keyset import page_after
from services.plans.event_mapping import stream_id
from services.record_text import RecordWriter, stdlib_json
from services.roadmap_csv import roadmap_csv

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
        self._feed = OrganisationFeed(store)

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

    def roadmap_csv(self, view: dict, today: date) -> str:
        """The roadmap as of `today` as a CSV table (timeframe, goal, how it leads, …)."""
        return roadmap_csv(queries.roadmap_of(view, today))

    def momentum(self, view: dict, today: date, stall_days: int) -> dict:
        """The momentum as of `today`."""
        return queries.momentum_of(view, today, stall_days)

    def findings(self, view: dict, after: tuple | None = None, limit: int = 50) -> dict:
        """A page of the client's current re-alignment findings: the check, its findings, the next position.

        Most severe first, newest first within a severity (`finding_order`).
        """
        current = current_findings(view)
        items, next_position = page_after(current.pop("findings"), finding_order, after, limit)
        return {**current, "items": items, "next_position": next_position}

    def caseload(
        self,
        organisation_id: str,
        today: date,
        coach_id: str | None,
        stall_days: int,
        after: tuple | None = None,
        limit: int = 50,
    ) -> tuple[list[dict], tuple | None]:
        """A page of an organisation's (or one coach's) clients, those needing attention first.

        The views are brought current first. The scores are computed for
        `today` and `stall_days` when read, so every row is ranked in memory
        (from the compact caseload rows, never the views); `after` is the
        `by_attention` position of the last client of the previous page, and
        means the same only for the same `today`, `stall_days` and coach.
        """
        self.refresh_all()
        with self._engine.connect() as conn:
            return queries.caseload_page(
                conn, organisation_id, today, coach_id, stall_days, after, limit
            )

    def history(self, view: dict, client_id: str, **page) -> queries.HistoryPage:
        """A page of the client's event history, each change described with the names in `view`
        and its actor as a person (`actor`, resolved for the whole page at once).

        `page` holds `after_version`, `limit` and the filters of `queries.history_page`.
        """
        found = queries.history_page(self._store, view, client_id, **page)
        return replace(found, entries=with_actors(self._store.reader, found.entries))

    def events(self, organisation_id: str, after: Position | None, limit: int) -> FeedItems:
        """A page of the organisation's event feed, in commit order (see `services.event_feed`)."""
        found = self._feed.page(organisation_id, after, limit)
        return replace(found, items=with_actors(self._store.reader, found.items))

    def export_organisation(
        self, organisation_id: str, after: Position | None
    ) -> Iterator[ExportText]:
        """The organisation's whole history after `after`, a line at a time, read as it is sent.

        Each line holds the event's record with its actor (resolved a batch of
        lines at a time) as JSON text, as `json.dumps` writes it (see
        `services.record_text`); the last line holds none.
        """
        return self._written(self._feed.export(organisation_id, after))

    def _written(self, lines: Iterator[ExportLine]) -> Iterator[ExportText]:
        while batch := list(islice(lines, EXPORT_CHUNK)):
            recorded = [recorded_actor(e.metadata) for e, _ in batch if e is not None]
            actors = {
                who: stdlib_json(described)
                for who, described in describe_recorded(self._store.reader, recorded).items()
            }
            writer, described = RecordWriter(), iter(recorded)
            for event, position in batch:
                if event is None:
                    yield ExportText(None, position)
                else:
                    yield ExportText(writer.text(event, actors[next(described)]), position)

    def export(self, client_id: str) -> Iterator[dict]:
        """Every event of the client's history as an auditor reads it, with its actor, oldest first."""
        records = (queries.event_record(e) for e in self._store.read_stream(stream_id(client_id)))
        return with_actors_streamed(self._store.reader, records)
