"""An event's record as the export sends it, written as JSON text without building the record.

The organisation's export sends a million lines at 10,000 clients, each
`json.dumps({**event_record(event), "actor": actor, "cursor": cursor})`.
Building that record (and copying it twice to add the actor and the cursor)
and encoding it whole cost more than reading and opening the event. Here the
line is written from its parts instead: the fields whose text needs no
escaping (ids, numbers, hashes, the recorded time) straight into the text,
the client id and type from a cache, the actor's text once per batch, and
only the event's data and metadata through the standard library's encoder,
so the bytes are those of `json.dumps` on the record. `event_record` stays
the definition; tests/unit/services/test_record_text.py compares the two.
"""

from __future__ import annotations

import json
from typing import Any

from eventstore import StoredEvent
from eventstore.streams import client_of

# json.dumps's own C encoder with json.dumps's own settings, made once: json.dumps
# makes one per call (and a dict to detect cycles, which decoded JSON cannot have).
_encoder = json.encoder.c_make_encoder
_ENCODE = (
    _encoder(
        None,
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if _encoder is not None
    else None
)


def stdlib_json(value: Any) -> str:
    """`value` as `json.dumps(value)` writes it (default settings), for values decoded from JSON."""
    if _ENCODE is None:
        return json.dumps(value)
    return "".join(_ENCODE(value, 0))


class RecordWriter:
    """Writes events' records as JSON text, caching the text of client ids and types across events."""

    def __init__(self) -> None:
        self._clients: dict[str, str] = {}
        self._types: dict[str, str] = {}

    def text(self, event: StoredEvent, actor: str) -> str:
        """`json.dumps({**event_record(event), "actor": a})`, `actor` being `json.dumps(a)`."""
        client = self._clients.get(event.stream_id)
        if client is None:
            client = self._clients[event.stream_id] = json.dumps(client_of(event.stream_id))
        type_ = self._types.get(event.type)
        if type_ is None:
            type_ = self._types[event.type] = json.dumps(event.type)
        erased = stdlib_json(list(event.erased)) if event.erased else "[]"
        prev = "null" if event.prev_hash is None else f'"{bytes(event.prev_hash).hex()}"'
        return (
            f'{{"client_id": {client}, "version": {event.stream_version:d}, '
            f'"event_id": "{event.event_id}", "type": {type_}, '
            f'"schema_version": {event.schema_version:d}, '
            f'"recorded_at": "{event.recorded_at.isoformat()}", '
            f'"metadata": {stdlib_json(event.metadata)}, "data": {stdlib_json(event.data)}, '
            f'"erased": {erased}, "hash": "{bytes(event.hash).hex()}", '
            f'"prev_hash": {prev}, "actor": {actor}}}'
        )
