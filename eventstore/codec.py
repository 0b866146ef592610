"""The one place where events become rows and rows become events.

Old schema versions are upcast here on read, so nothing above the store ever
sees an outdated payload. (Later: the per-stream hash chain and per-client
encryption of personal free text also belong here.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timezone
from typing import Any

from eventstore.records import NewEvent, StoredEvent
from eventstore.schema import events

COLUMN_ORDER = tuple(events.c.keys())

# (type, stored schema version, stored data) -> (current schema version, data)
Upcaster = Callable[[str, int, dict[str, Any]], tuple[int, dict[str, Any]]]


def no_upcasting(type_: str, version: int, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The identity upcaster, for stores that hold only current schemas."""
    return version, data


class EventCodec:
    """Encodes appended events into rows and decodes rows into `StoredEvent`s."""

    def __init__(self, upcast: Upcaster = no_upcasting):
        self._upcast = upcast

    def encode(self, stream_id: str, stream_version: int, event: NewEvent) -> dict[str, Any]:
        """The column values of one new event; the database fills position, tx id and time."""
        return {
            "stream_id": stream_id,
            "stream_version": stream_version,
            "event_id": event.event_id,
            "type": event.type,
            "schema_version": event.schema_version,
            "data": event.data,
            "metadata": event.metadata,
        }

    def decode(self, row: tuple) -> StoredEvent:
        """A stored row, columns in table order, as an event of the current schema."""
        # Unpacking beats attribute access by name; this runs once per event read.
        position, tx_id, stream_id, version, event_id, type_, schema, data, meta, recorded_at = row
        schema, data = self._upcast(type_, schema, data)
        if recorded_at.tzinfo is None:  # SQLite keeps naive UTC text
            recorded_at = recorded_at.replace(tzinfo=timezone.utc)
        return StoredEvent(
            position, tx_id, stream_id, version, event_id, type_, schema, data, meta, recorded_at
        )

    def decode_appended(self, values: dict[str, Any], filled: Any) -> StoredEvent:
        """The event just appended: the encoded values plus what the database filled in."""
        row = {**values, **filled._mapping}
        return self.decode(tuple(row[column] for column in COLUMN_ORDER))

    def same_event(self, row: Any, stream_id: str, event: NewEvent) -> str | None:
        """Why a stored row is not the retried event, or None when it is the same."""
        if row.stream_id != stream_id:
            return f"stored in stream {row.stream_id}, retried in {stream_id}"
        if row.type != event.type or row.schema_version != event.schema_version:
            return f"stored as {row.type} v{row.schema_version}, retried as {event.type} v{event.schema_version}"
        if row.data != event.data:
            return "stored data differs from the retried data"
        return None
