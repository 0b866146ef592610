"""Read the views: what the API serves for roadmap, momentum, caseload and history.

Views are stored time-independent; everything that depends on "today" is
computed here from a `today` the caller passes, so reads are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from eventstore import EventStore, StoredEvent
from eventstore.streams import client_of, stream_id
from projections import caseload, history, history_episodes, history_filters, momentum, roadmap
from projections.tables import LIVE

_views = LIVE.client_views
_caseload = LIVE.caseload_rows
# Built once: read on every roadmap and momentum request.
_CLIENT_VIEW = sa.select(_views.c.view).where(
    _views.c.client_id == sa.bindparam("client_id"),
    _views.c.organisation_id == sa.bindparam("organisation_id"),
)


def client_view(conn: sa.Connection, organisation_id: str, client_id: str) -> dict | None:
    """The client's view, or None when the organisation has no such client (yet)."""
    row = conn.execute(
        _CLIENT_VIEW, {"client_id": client_id, "organisation_id": organisation_id}
    ).first()
    return row.view if row else None


def roadmap_of(view: dict, today: date) -> dict:
    """The roadmap as of `today`."""
    return roadmap.roadmap(view, today)


def momentum_of(view: dict, today: date, stall_days: int = 21) -> dict:
    """The momentum as of `today`."""
    return momentum.momentum(view, today, stall_days)


def caseload_of(
    conn: sa.Connection,
    organisation_id: str,
    today: date,
    coach_id: str | None = None,
    stall_days: int = 21,
) -> list[dict]:
    """An organisation's (or one coach's) active clients, those needing attention first."""
    return caseload.rank(_caseload_rows(conn, organisation_id, coach_id), today, stall_days)


def caseload_page(
    conn: sa.Connection,
    organisation_id: str,
    today: date,
    coach_id: str | None,
    stall_days: int,
    after: tuple | None,
    limit: int,
) -> tuple[list[dict], tuple | None]:
    """A page of `caseload_of` after the position `after` (`caseload.by_attention`), and the next one."""
    rows = _caseload_rows(conn, organisation_id, coach_id)
    return caseload.ranked_page(rows, today, stall_days, after, limit)


def _caseload_rows(conn: sa.Connection, organisation_id: str, coach_id: str | None) -> list[dict]:
    query = sa.select(_caseload.c.row).where(
        _caseload.c.organisation_id == organisation_id, _caseload.c.status == "active"
    )
    if coach_id is not None:
        query = query.where(_caseload.c.coach_id == coach_id)
    return [r.row for r in conn.execute(query)]


def coach_client_views(conn: sa.Connection, organisation_id: str, coach_id: str) -> list[dict]:
    """The views of a coach's active clients (archived ones left out), in no particular order."""
    query = sa.select(_views.c.view).where(
        _views.c.organisation_id == organisation_id,
        _views.c.coach_id == coach_id,
        _views.c.status == "active",
    )
    return [row.view for row in conn.execute(query)]


def event_record(event: StoredEvent) -> dict:
    """One event as an auditor reads it (history pages, the event feed, JSON Lines exports): JSON-safe.

    With its hash and its predecessor's, so an export can be checked offline,
    and the personal fields erased when the client was forgotten.
    """
    return {
        "client_id": client_of(event.stream_id),
        "version": event.stream_version,
        "event_id": str(event.event_id),
        "type": event.type,
        "schema_version": event.schema_version,
        "recorded_at": event.recorded_at.isoformat(),
        "metadata": event.metadata,
        "data": event.data,
        "erased": list(event.erased or ()),
        "hash": bytes(event.hash).hex(),
        "prev_hash": bytes(event.prev_hash).hex() if event.prev_hash is not None else None,
    }


@dataclass(frozen=True)
class HistoryPage:
    """A page of a client's audit history; `next_version` is where the next page starts after (None: last)."""

    entries: list[dict]
    next_version: int | None


def history_page(
    store: EventStore,
    view: dict,
    client_id: str,
    *,
    after_version: int = 0,
    types: tuple[str, ...] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    goal_id: str | None = None,
    requirement_id: str | None = None,
    limit: int = 50,
    newest_first: bool = False,
) -> HistoryPage:
    """Events of the client's stream in version order, with metadata and a readable description of each change.

    Every filter runs in SQL over the stream's index; `goal_id` and
    `requirement_id` keep the events that concern them (`history_filters`).
    `newest_first` pages backwards from the latest event (`after_version`:
    the version the previous page ended on, 0 for the first page).
    """
    stream = stream_id(client_id)
    events = store.read_stream_page(
        stream,
        after_version=after_version,
        types=types,
        since=since,
        until=until,
        matching=history_filters.concerning(store, stream, goal_id, requirement_id),
        limit=limit + 1,
        newest_first=newest_first,
    )
    names = history.labels(view)
    episode = history_episodes.episode_of(store, stream)
    entries = [
        {**event_record(e), "description": history.describe(e, names), "episode": episode(e)}
        for e in events[:limit]
    ]
    more = len(events) > limit
    return HistoryPage(entries, entries[-1]["version"] if more else None)
