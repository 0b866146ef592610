"""Each client's data key: made on first use, kept wrapped by the master key, destroyed to forget.

Destroying the key is what erases a client's personal data: the events stay
(append-only, hash-chained) but their sealed fields can never be opened again.
The row stays too, without the key, as the record of when and by whom.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Collection
from datetime import datetime, timezone

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.dialects.postgresql import ARRAY

from projections.upsert import insert_unless_present
from services.access.tables import client_keys
from services.plans import ClientForgotten

_NONCE = 12
_CACHE_SIZE = 10_000
# Built once: every stream read and feed batch asks for its clients' keys.
_KEY_COLUMNS = (client_keys.c.client_id, client_keys.c.wrapped_key, client_keys.c.master_key_id)
# On PostgreSQL the ids are one array parameter, so the statement's text stays the same
# (an export opens a window of 2,000 events at a time: an expanded IN list of that many
# ids was rendered, and parsed again by the driver, each time).
_FOR_OPENING = {
    "postgresql": sa.select(*_KEY_COLUMNS).where(
        client_keys.c.client_id == sa.any_(sa.bindparam("client_ids", type_=ARRAY(sa.String)))
    ),
    "sqlite": sa.select(*_KEY_COLUMNS).where(
        client_keys.c.client_id.in_(sa.bindparam("client_ids", expanding=True))
    ),
}


class WrongMasterKey(RuntimeError):
    """A data key was wrapped by another master key than the one configured.

    A setting to fix, not a bug: logged as one line naming MASTER_KEY (no
    traceback), wherever it is met, in a request or a worker.
    """

    log_without_traceback = True


def master_key_id(master_key: bytes) -> str:
    """A short public fingerprint of a master key, stored beside what it wraps."""
    return hashlib.sha256(master_key).hexdigest()[:16]


class ClientKeys:
    """Data keys of clients, wrapped by the master key in `client_keys`."""

    def __init__(self, engine: sa.Engine, master_key: bytes, reader: sa.Engine | None = None):
        self._engine = engine
        self._reader = (
            reader or engine
        )  # single-statement reads: an autocommit engine spares BEGIN/ROLLBACK
        self._master = AESGCM(master_key)
        self._master_id = master_key_id(master_key)
        # Keys for sealing new events only. Using a key the moment after it
        # was destroyed is harmless: the forgotten plan refuses every command,
        # so nothing sealed with it is appended. Opening always asks the table.
        self._sealing: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def wrapped_by_another_master_key(self) -> str | None:
        """The id of a master key other than the configured one that wrapped a stored key, or None.

        None too when it cannot tell: the table does not exist yet (a database not
        migrated) or the database does not answer (a process starts without it,
        and the API meets a mismatch at run time as a one-line error).
        """
        query = (
            sa.select(client_keys.c.master_key_id)
            .where(
                client_keys.c.wrapped_key.is_not(None),
                client_keys.c.master_key_id != self._master_id,
            )
            .limit(1)
        )
        try:
            with self._reader.connect() as conn:
                return conn.execute(query).scalar()
        except sa.exc.DBAPIError:
            return None

    @property
    def master_id(self) -> str:
        return self._master_id

    def for_sealing(self, client_id: str) -> bytes:
        """The client's data key, made now if the client has none; ClientForgotten once destroyed."""
        with self._lock:
            if (key := self._sealing.get(client_id)) is not None:
                self._sealing.move_to_end(client_id)
                return key
        key = self._stored(client_id)
        if key is None:
            key = self._create(client_id)
        self._keep_for_sealing({client_id: key})
        return key

    def for_opening(self, client_ids: Collection[str]) -> dict[str, bytes | None]:
        """The data keys of these clients now: None for a forgotten client, absent for one with no key yet.

        The keys found are kept for sealing too: a command reads its client's
        stream (opening it) just before it seals the new events, and a sweep
        goes through more clients than the cache holds.
        """
        if not client_ids:
            return {}
        with self._reader.connect() as conn:
            statement = _FOR_OPENING[conn.dialect.name]
            rows = conn.execute(statement, {"client_ids": list(client_ids)}).all()
        found = {row.client_id: self._unwrap(row) for row in rows}
        self._keep_for_sealing({c: key for c, key in found.items() if key is not None})
        return found

    def destroy(self, conn: sa.Connection, client_id: str, by: str, now: datetime) -> bool:
        """Destroy the client's key in the caller's transaction; False when it was already destroyed.

        The caller evicts the key from the sealing cache (`forget_cached`) once that transaction commits.
        """
        destroyed = conn.execute(
            client_keys.update()
            .where(client_keys.c.client_id == client_id, client_keys.c.wrapped_key.is_not(None))
            .values(wrapped_key=None, forgotten_at=now, forgotten_by=by)
            .returning(client_keys.c.client_id)
        ).first()
        if destroyed:
            return True
        existing = conn.execute(
            sa.select(client_keys.c.forgotten_at).where(client_keys.c.client_id == client_id)
        ).first()
        if existing is None:  # never sealed anything: leave the record of the erasure all the same
            conn.execute(
                client_keys.insert().values(
                    client_id=client_id,
                    wrapped_key=None,
                    master_key_id=self._master_id,
                    created_at=now,
                    forgotten_at=now,
                    forgotten_by=by,
                )
            )
            return True
        return False

    def forgotten_at(self, client_id: str) -> datetime | None:
        """When the client's key was destroyed, or None while it exists."""
        with self._reader.connect() as conn:
            return conn.execute(
                sa.select(client_keys.c.forgotten_at).where(client_keys.c.client_id == client_id)
            ).scalar()

    def forget_cached(self, client_id: str) -> None:
        with self._lock:
            self._sealing.pop(client_id, None)

    def _stored(self, client_id: str) -> bytes | None:
        query = sa.select(
            client_keys.c.client_id,
            client_keys.c.wrapped_key,
            client_keys.c.master_key_id,
            client_keys.c.forgotten_at,
        ).where(client_keys.c.client_id == client_id)
        with self._reader.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if row.forgotten_at is not None:
            raise ClientForgotten(f"client {client_id} was forgotten")
        return self._unwrap(row)

    def _create(self, client_id: str) -> bytes:
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(_NONCE)
        row = {
            "client_id": client_id,
            "wrapped_key": nonce + self._master.encrypt(nonce, key, client_id.encode()),
            "master_key_id": self._master_id,
            "created_at": datetime.now(timezone.utc),
        }
        with self._engine.begin() as conn:
            inserted = insert_unless_present(conn, client_keys, row)
        if inserted:
            return key
        stored = self._stored(client_id)  # another process made it first
        assert stored is not None
        return stored

    def create_for(self, client_ids: Collection[str]) -> None:
        """Make the data keys of many new clients in one statement (a bulk import, the scale bench).

        Each key is wrapped as `for_sealing` would wrap it and is kept for
        sealing; a client that has a key already makes the whole insert fail.
        """
        now, made = datetime.now(timezone.utc), {}
        rows = []
        for client_id in client_ids:
            key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(_NONCE)
            made[client_id] = key
            rows.append(
                {
                    "client_id": client_id,
                    "wrapped_key": nonce + self._master.encrypt(nonce, key, client_id.encode()),
                    "master_key_id": self._master_id,
                    "created_at": now,
                }
            )
        if not rows:
            return
        with self._engine.begin() as conn:
            conn.execute(client_keys.insert(), rows)
        self._keep_for_sealing(made)

    def _keep_for_sealing(self, keys: dict[str, bytes]) -> None:
        with self._lock:
            for client_id, key in keys.items():
                self._sealing[client_id] = key
                self._sealing.move_to_end(client_id)
            while len(self._sealing) > _CACHE_SIZE:
                self._sealing.popitem(last=False)

    def _unwrap(self, row) -> bytes | None:
        if row.wrapped_key is None:
            return None
        if row.master_key_id != self._master_id:
            raise WrongMasterKey(
                f"the data key of client {row.client_id} was wrapped by master key {row.master_key_id}, "
                f"not by the configured MASTER_KEY ({self._master_id})"
            )
        wrapped = bytes(row.wrapped_key)
        return self._master.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], row.client_id.encode())
