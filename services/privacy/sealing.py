"""Sealing the personal fields of a client's events under the client's data key (AES-256-GCM).

A sealed event keeps its ids, dates and numbers in the clear and carries its
personal fields (see `Event.personal`) as one ciphertext, bound to its stream
and event id so it cannot be moved to another event. Once the client's key is
destroyed those fields read as None and are listed in `StoredEvent.erased`.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from collections.abc import Collection
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.events import EVENT_TYPES
from eventstore import json_text
from eventstore.codec import Opener
from services.plans.event_mapping import client_of
from services.privacy.client_keys import ClientKeys

SEALED = "_sealed"  # the key of the sealed fields inside stored data
_NONCE = 12
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    name: cls.personal for name, cls in EVENT_TYPES.items()
}


def _binding(stream_id: str, event_id: uuid.UUID) -> bytes:
    return f"{stream_id}/{event_id}".encode()


class ClientDataSealer:
    """The store's `Sealer` for career-plan streams: one data key per client."""

    def __init__(self, keys: ClientKeys):
        self._keys = keys

    def seal(
        self, stream_id: str, event_id: uuid.UUID, type_: str, data: dict[str, Any]
    ) -> dict[str, Any]:
        """`data` with its personal fields replaced by their ciphertext (unchanged when it has none)."""
        client_id = client_of(stream_id)
        fields = [f for f in PERSONAL_FIELDS.get(type_, ()) if f in data]
        if client_id is None or not fields:
            return data
        nonce = os.urandom(_NONCE)
        plaintext = json_text.dumps({f: data[f] for f in fields}).encode()
        box = AESGCM(self._keys.for_sealing(client_id)).encrypt(
            nonce, plaintext, _binding(stream_id, event_id)
        )
        clear = {k: v for k, v in data.items() if k not in fields}
        return {**clear, SEALED: {"fields": fields, "box": base64.b64encode(nonce + box).decode()}}

    def forgotten(self, stream_ids: Collection[str]) -> set[str]:
        """Those of these streams whose client was forgotten: their key is destroyed (one query)."""
        clients = {stream: client_of(stream) for stream in stream_ids}
        keys = self._keys.for_opening({c for c in clients.values() if c is not None})
        return {
            stream for stream, client in clients.items() if client in keys and keys[client] is None
        }

    def opener(self, stream_ids: Collection[str]) -> Opener:
        """Opens data of these streams with their clients' keys as they stand now (one query)."""
        clients = {stream: client_of(stream) for stream in stream_ids}
        keys = self._keys.for_opening({c for c in clients.values() if c is not None})
        # One cipher per key for the batch: a rebuild opens every event, most of them sealed.
        ciphers = {client: AESGCM(key) for client, key in keys.items() if key is not None}

        def open_(
            stream_id: str, event_id: uuid.UUID, data: dict[str, Any]
        ) -> tuple[dict, tuple[str, ...] | None]:
            client_id = clients.get(stream_id)
            cipher = ciphers.get(client_id)
            sealed = data.get(SEALED)
            if sealed is None:
                return data, () if cipher is None and client_id in keys else None
            opened = data.copy()
            del opened[SEALED]
            if cipher is None:
                opened.update(dict.fromkeys(sealed["fields"]))
                return opened, tuple(sealed["fields"])
            box = binascii.a2b_base64(sealed["box"])
            plaintext = cipher.decrypt(box[:_NONCE], box[_NONCE:], _binding(stream_id, event_id))
            opened.update(json_text.loads(plaintext))
            return opened, None

        return open_
