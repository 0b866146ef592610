"""The append-only event store: the only source of truth for every career plan.

Everything outside this package reads and writes events through `EventStore`;
the table layout, the dialect differences and the serialisation of event data
stay in here.
"""

from eventstore.errors import ConcurrencyConflict, EventIdReused, EventStoreError
from eventstore.records import (
    DataMatch,
    FeedCursor,
    FeedPage,
    NewEvent,
    StoredEvent,
    TypedPage,
)
from eventstore.store import EventStore

__all__ = [
    "ConcurrencyConflict",
    "DataMatch",
    "EventIdReused",
    "EventStore",
    "EventStoreError",
    "FeedCursor",
    "FeedPage",
    "NewEvent",
    "StoredEvent",
    "TypedPage",
]
