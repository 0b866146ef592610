"""Which organisation and coach a client belongs to now, from the client's own events.

Every request on a client is authorised against this before anything else
runs. Reading only the stream's enrolment and reassignment events is exact
(no projection lag: a client enrolled a moment ago is found) and cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventstore import EventStore
from services.event_mapping import stream_id

_OWNERSHIP_EVENTS = ("ClientEnrolled", "CoachReassigned")


@dataclass(frozen=True)
class ClientOwner:
    """The organisation a client belongs to and the coach assigned to them now."""

    organisation_id: str
    coach_id: str


class ClientOwners:
    """Looks up a client's current organisation and coach."""

    def __init__(self, store: EventStore):
        self._store = store

    def owner(self, client_id: str) -> ClientOwner | None:
        """The client's owner, or None when no such client is enrolled."""
        events = self._store.read_stream_page(stream_id(client_id), types=_OWNERSHIP_EVENTS, limit=1_000_000)
        if not events or events[0].type != "ClientEnrolled":
            return None
        organisation_id, coach_id = events[0].data["organisation_id"], events[0].data["coach_id"]
        for event in events[1:]:
            coach_id = event.data["new_coach_id"]
        return ClientOwner(organisation_id, coach_id)
