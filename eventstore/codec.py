"""The one place where events become rows and rows become events.

On the way in, an event's personal fields are sealed (encrypted under its
subject's data key, when a `Sealer` is given) and the row is chained to its
predecessor by hash. On the way out, sealed fields are opened, or marked
erased when their key was destroyed, and old schema versions are upcast, so
nothing above the store ever sees ciphertext or an outdated payload.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timezone
from typing import Any, Protocol

from eventstore import json_text
from eventstore.chain import event_hash
from eventstore.records import NewEvent, StoredEvent, stored_event
from eventstore.schema import events

COLUMN_ORDER = tuple(events.c.keys())

# (type, stored schema version, stored data) -> (current schema version, data)
Upcaster = Callable[[str, int, dict[str, Any]], tuple[int, dict[str, Any]]]
# (stream id, event id, stored data) -> (data with personal fields open, fields erased
# or None while the stream's subject is not forgotten; see StoredEvent.erased)
Opener = Callable[[str, uuid.UUID, dict[str, Any]], tuple[dict[str, Any], tuple[str, ...] | None]]


class Sealer(Protocol):
    """Encrypts the personal fields of events and opens them again, per stream's subject."""

    def seal(
        self, stream_id: str, event_id: uuid.UUID, type_: str, data: dict[str, Any]
    ) -> dict[str, Any]:
        """The data to store: personal fields sealed (unchanged when the event has none)."""
        ...

    def opener(self, stream_ids: Collection[str]) -> Opener:
        """Opens stored data of these streams (their keys fetched once, for one batch of rows)."""
        ...

    def forgotten(self, stream_ids: Collection[str]) -> set[str]:
        """Those of these streams whose subject is forgotten now (their data can no longer be opened)."""
        ...


def no_upcasting(type_: str, version: int, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The identity upcaster, for stores that hold only current schemas."""
    return version, data


def _as_stored(
    stream_id: str, event_id: uuid.UUID, data: dict[str, Any]
) -> tuple[dict[str, Any], None]:
    return data, None


class EventCodec:
    """Encodes appended events into rows and decodes rows into `StoredEvent`s."""

    def __init__(self, upcast: Upcaster = no_upcasting, sealer: Sealer | None = None):
        self._upcast = upcast
        self._sealer = sealer

    def encode(
        self,
        stream_id: str,
        stream_version: int,
        event: NewEvent,
        prev_hash: bytes | None,
        recorded_at: datetime,
    ) -> dict[str, Any]:
        """The column values of one new event, sealed and chained; the database fills position and tx id."""
        data = event.data
        if self._sealer is not None:
            data = self._sealer.seal(stream_id, event.event_id, event.type, data)
        values = {
            "stream_id": stream_id,
            "stream_version": stream_version,
            "event_id": event.event_id,
            "type": event.type,
            "schema_version": event.schema_version,
            "data": data,
            "metadata": event.metadata,
            "recorded_at": recorded_at,
            "prev_hash": prev_hash,
        }
        values["hash"] = event_hash(
            prev_hash,
            stream_id,
            stream_version,
            event.event_id,
            event.type,
            event.schema_version,
            data,
            event.metadata,
            recorded_at,
        )
        return values

    def decode_rows(self, rows: Sequence[tuple], json_as_text: bool = False) -> list[StoredEvent]:
        """Stored rows, columns in table order, as events of the current schema with personal fields open.

        `json_as_text`: the rows hold data and metadata as JSON text, parsed
        here (a driver calling back into Python per value costs more).
        """
        if not rows:
            return []
        open_ = (
            self._sealer.opener({row[2] for row in rows})
            if self._sealer is not None
            else _as_stored
        )
        return [self._decode(row, open_, json_as_text) for row in rows]

    def forgotten(self, stream_ids: Collection[str]) -> set[str]:
        """Those of these streams whose subject is forgotten now (none without a sealer)."""
        return self._sealer.forgotten(stream_ids) if self._sealer is not None else set()

    def _decode(self, row: tuple, open_: Opener, json_as_text: bool = False) -> StoredEvent:
        # Unpacking beats attribute access by name; this runs once per event read.
        (
            position,
            tx_id,
            stream_id,
            version,
            event_id,
            type_,
            schema,
            data,
            meta,
            recorded_at,
            prev,
            hash_,
        ) = row
        if json_as_text:
            data, meta = json_text.loads(data), json_text.loads(meta)
        data, erased = open_(stream_id, event_id, data)
        if not erased:  # erased fields cannot be upcast; what is left is shown as stored
            schema, data = self._upcast(type_, schema, data)
        if recorded_at.tzinfo is None:  # SQLite keeps naive UTC text
            recorded_at = recorded_at.replace(tzinfo=timezone.utc)
        return stored_event(
            position,
            tx_id,
            stream_id,
            version,
            event_id,
            type_,
            schema,
            data,
            meta,
            recorded_at,
            hash_,
            prev,
            erased,
        )

    def decode_appended(self, values: dict[str, Any], filled: Any, event: NewEvent) -> StoredEvent:
        """The event just appended: its own (open) data plus what the database filled in (position, tx_id)."""
        position, tx_id = filled
        return StoredEvent(
            position,
            tx_id,
            values["stream_id"],
            values["stream_version"],
            event.event_id,
            event.type,
            event.schema_version,
            event.data,
            event.metadata,
            values["recorded_at"],
            values["hash"],
            values["prev_hash"],
        )

    def same_event(self, stored: StoredEvent, stream_id: str, event: NewEvent) -> str | None:
        """Why a stored (decoded) event is not the retried event, or None when it is the same."""
        if stored.stream_id != stream_id:
            return f"stored in stream {stored.stream_id}, retried in {stream_id}"
        if stored.type != event.type or stored.schema_version != event.schema_version:
            return (
                f"stored as {stored.type} v{stored.schema_version}, "
                f"retried as {event.type} v{event.schema_version}"
            )
        if stored.data != event.data:
            return "stored data differs from the retried data"
        return None
