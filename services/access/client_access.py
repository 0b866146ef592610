"""Which organisation and coach a client belongs to now: exact, and in one query when the view is current.

Every request on a client is authorised against this before anything else
runs, so it must not lag. The client's view row carries its organisation and
coach. A command's statement reads them together with whether the stream
holds an enrolment or reassignment newer than the view (same snapshot); a
read's statement reads the view itself and the stream's last event, so the
caller sees at once whether the view lags the events (and refreshes it, for
read-your-writes). A request's first statement reads either beside the
caller's API key, so authorisation is one round trip. Only when the view is
missing (a client enrolled a moment ago, a forgotten client) or behind on
ownership are the stream's own ownership events read instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eventstore import EventStore, FeedCursor
from eventstore.schema import events
from projections.tables import LIVE
from services.access.api_keys import IS_LIVE_KEY, KEY_COLUMNS
from services.access.tables import api_keys
from services.plans.event_mapping import stream_id

_OWNERSHIP_EVENTS = ("ClientEnrolled", "CoachReassigned")
_views = LIVE.client_views
# Built once: the view's owner, and whether an ownership event came after the view's version.
_OWNER_COLUMNS = (
    _views.c.organisation_id,
    _views.c.coach_id,
    sa.exists()
    .where(
        events.c.stream_id == sa.bindparam("stream_id"),
        events.c.stream_version > _views.c.version,
        sa.or_(*(events.c.type == t for t in _OWNERSHIP_EVENTS)),
    )
    .label("behind"),
)
_OWNER_FROM_VIEW = sa.select(*_OWNER_COLUMNS).where(_views.c.client_id == sa.bindparam("client_id"))
# The stream's last event (no row: no such client) beside the view, if any, in one statement.
_LAST_EVENT = (
    sa.select(events.c.stream_version, events.c.tx_id, events.c.position)
    .where(events.c.stream_id == sa.bindparam("stream_id"))
    .order_by(events.c.stream_version.desc())
    .limit(1)
    .subquery("last_event")
)
_VIEW_AND_LAST_EVENT = sa.select(
    _LAST_EVENT.c.stream_version,
    _LAST_EVENT.c.tx_id,
    _LAST_EVENT.c.position,
    _views.c.organisation_id,
    _views.c.coach_id,
    _views.c.version,
    _views.c.view,
).select_from(_LAST_EVENT.outerjoin(_views, _views.c.client_id == sa.bindparam("client_id")))


def _beside_live_key(query: sa.Select, name: str) -> sa.Select:
    """The live key with the digest presented and, beside it, `query`'s row (its columns null when there is none).

    A request's whole authorisation in one round trip: no row means no such key.
    """
    found = query.subquery(name)
    return (
        sa.select(*KEY_COLUMNS, *found.c)
        .select_from(api_keys.outerjoin(found, sa.true()))
        .where(IS_LIVE_KEY)
    )


_KEY_AND_OWNER = _beside_live_key(_OWNER_FROM_VIEW, "owner")
_KEY_AND_VIEW = _beside_live_key(_VIEW_AND_LAST_EVENT, "client")


@dataclass(frozen=True)
class ClientOwner:
    """The organisation a client belongs to and the coach assigned to them now."""

    organisation_id: str
    coach_id: str


@dataclass(frozen=True)
class OwnerAndView:
    """A client's owner and view as one read found them; `behind` is set when the view lags the events."""

    owner: ClientOwner | None
    view: dict | None
    behind: FeedCursor | None


class ClientOwners:
    """Looks up a client's current organisation and coach."""

    def __init__(self, store: EventStore):
        self._store = store

    def owner(self, client_id: str) -> ClientOwner | None:
        """The client's owner, or None when no such client is enrolled."""
        return self._owner(client_id, self._view_row(_OWNER_FROM_VIEW, client_id))

    def owner_and_view(self, client_id: str) -> OwnerAndView:
        """The client's owner and their view, read in one statement, or how far the view lags.

        For requests that go on to read the view: one round trip instead of two.
        When the view lags the client's events, `behind` is the cursor of the
        stream's last event, and owner and view are left for the caller to ask
        again once the views are refreshed (or to take from `owner_from_events`).
        """
        return _owner_and_view(self._view_row(_VIEW_AND_LAST_EVENT, client_id))

    def key_and_owner(
        self, key_hash: str, client_id: str
    ) -> tuple[sa.Row | None, ClientOwner | None]:
        """The live key with digest `key_hash` (a row for ApiKeys.caller; None when there is none), and
        what `owner` finds of the client: for a command, in one statement when the view is current.
        """
        row = self._view_row(_KEY_AND_OWNER, client_id, key_hash=key_hash)
        return (row, self._owner(client_id, row)) if row is not None else (None, None)

    def key_and_owner_and_view(
        self, key_hash: str, client_id: str
    ) -> tuple[sa.Row | None, OwnerAndView]:
        """The live key with digest `key_hash` (as `key_and_owner`), and what `owner_and_view` finds
        of the client, in one statement: for a read.
        """
        row = self._view_row(_KEY_AND_VIEW, client_id, key_hash=key_hash)
        return row, _owner_and_view(row)

    def _view_row(self, query: sa.Select, client_id: str, **more):
        # The connection goes back before any fallback read takes another: no hold-and-wait.
        with self._store.reader.connect() as conn:
            return conn.execute(
                query, {"client_id": client_id, "stream_id": stream_id(client_id), **more}
            ).first()

    def _owner(self, client_id: str, row) -> ClientOwner | None:
        if row is not None and row.organisation_id and not row.behind:
            return ClientOwner(row.organisation_id, row.coach_id)
        return self.owner_from_events(client_id)

    def owner_from_events(self, client_id: str) -> ClientOwner | None:
        """The owner as the stream's enrolment and reassignment events say (no view involved)."""
        events_ = self._store.read_stream_page(
            stream_id(client_id), types=_OWNERSHIP_EVENTS, limit=1_000_000
        )
        if not events_ or events_[0].type != "ClientEnrolled":
            return None
        organisation_id, coach_id = events_[0].data["organisation_id"], events_[0].data["coach_id"]
        for event in events_[1:]:
            coach_id = event.data["new_coach_id"]
        return ClientOwner(organisation_id, coach_id)


def _owner_and_view(row) -> OwnerAndView:
    """What a row of _VIEW_AND_LAST_EVENT's columns says: no client, a view that lags, or owner and view."""
    if row is None or row.stream_version is None:  # no events: no such client
        return OwnerAndView(None, None, None)
    if row.version is None or row.version < row.stream_version:
        return OwnerAndView(None, row.view, FeedCursor(row.tx_id, row.position))
    return OwnerAndView(ClientOwner(row.organisation_id, row.coach_id), row.view, None)
