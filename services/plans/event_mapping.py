"""Domain events to and from the store's records: ids, type names, schema versions."""

from __future__ import annotations

import uuid
from typing import Any

from domain.events import EVENT_TYPES, Event, event_from_data, event_to_data
from domain.upcasters import upcast_versioned
from eventstore import NewEvent, StoredEvent
from eventstore.codec import EventCodec, Sealer
from eventstore.streams import client_of, stream_id

__all__ = ["client_of", "domain_codec", "event_ids", "stream_id", "to_domain", "to_new_events"]

_IDEMPOTENCY_NAMESPACE = uuid.UUID("0b5e7c0e-3f0c-4c55-9d1a-8f5b6f3e2a10")


def domain_codec(sealer: Sealer | None = None) -> EventCodec:
    """The store codec for career plans: seals personal fields (given a sealer), upcasts old schemas."""
    return EventCodec(upcast_versioned, sealer)


def to_domain(stored: StoredEvent) -> Event:
    """A stored (already upcast) event as the domain event it records."""
    return event_from_data(stored.type, stored.data)


def event_ids(client_id: str, idempotency_key: str | None, count: int) -> list[uuid.UUID]:
    """Ids for a command's events: derived from its idempotency key, so a retry names the same ids."""
    if idempotency_key is None:
        return [uuid.uuid4() for _ in range(count)]
    return [
        uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{client_id}/{idempotency_key}/{n}")
        for n in range(count)
    ]


def to_new_events(
    client_id: str, events: list[Event], metadata: dict[str, Any], idempotency_key: str | None
) -> list[NewEvent]:
    """The decided events as records for the store, each with the command's metadata."""
    ids = event_ids(client_id, idempotency_key, len(events))
    return [
        NewEvent(
            type=type(event).__name__,
            data=event_to_data(event),
            schema_version=EVENT_TYPES[type(event).__name__].schema_version,
            metadata=metadata,
            event_id=event_id,
        )
        for event, event_id in zip(events, ids)
    ]
