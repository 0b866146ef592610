"""API keys: issued once, stored only as an HMAC, listed, rotated, revoked, checked per request.

A key is `cp_` + 43 random URL-safe characters. The table keeps
HMAC-SHA256(server secret, key): unlike a slow password hash it can be looked
up by index on every request, which is safe because keys are long and random;
a stolen table is useless without the secret. The first characters (`prefix`)
are kept in clear so people can tell their keys apart in a listing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

import sqlalchemy as sa

from eventstore.schema import utc
from services.access.api_key_records import (
    ROLES,
    ApiKey,
    InvalidKeyRole,
    IssuedKey,
    KeyNotFound,
    KeyRevoked,
    LastAdminKey,
    Principal,
    api_key_from_row,
    check_role,
)
from services.access.tables import api_keys
from services.coaches.assignable import require_assignable
from services.keyset import Position, moment_position, newest_first, page_of
from services.plans import Clock

__all__ = [
    "ROLES",
    "ApiKey",
    "ApiKeys",
    "InvalidKeyRole",
    "IssuedKey",
    "KeyNotFound",
    "KeyRevoked",
    "LastAdminKey",
    "Principal",
]

KEY_PREFIX = "cp_"
SHOWN_PREFIX = 10  # "cp_" and 7 random characters
LAST_USED_RESOLUTION = timedelta(minutes=1)  # at most one write per key per minute


# Built once: every request on /v1 runs them. What a caller is, and which row holds a live key
# with a given digest; a statement can read them beside something else (services.client_access).
KEY_COLUMNS = (
    api_keys.c.id.label("key_id"),
    api_keys.c.organisation_id.label("key_organisation_id"),
    api_keys.c.role,
    api_keys.c.coach_id.label("key_coach_id"),
    api_keys.c.last_used_at,
)
IS_LIVE_KEY = sa.and_(
    api_keys.c.key_hash == sa.bindparam("key_hash"), api_keys.c.revoked_at.is_(None)
)
_LIVE_KEY = sa.select(*KEY_COLUMNS).where(IS_LIVE_KEY)


class ApiKeys:
    """Issue, list, rotate, revoke and authenticate the API keys of organisations."""

    def __init__(
        self, engine: sa.Engine, secret: str, clock: Clock, reader: sa.Engine | None = None
    ):
        self._engine = engine
        self._reader = reader or engine  # autocommit engine for the per-request key lookup
        self._secret = secret.encode()
        self._clock = clock

    def digest(self, key: str) -> str:
        """HMAC-SHA256 of the key under the server secret, hex: what the table stores."""
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    def issue(
        self,
        organisation_id: str,
        role: str,
        coach_id: str | None = None,
        *,
        conn: sa.Connection | None = None,
    ) -> IssuedKey:
        """A new key for the organisation (inside `conn`'s transaction when given).

        A coach key is bound to an active coach of the organisation (UnknownCoach,
        CoachInactive otherwise): it sees that coach's clients only.
        """
        check_role(role, coach_id)
        if conn is None:
            with self._engine.begin() as conn:
                return self.issue(organisation_id, role, coach_id, conn=conn)
        if coach_id:
            require_assignable(conn, organisation_id, coach_id)
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        row = {
            "id": str(uuid.uuid4()),
            "organisation_id": organisation_id,
            "prefix": key[:SHOWN_PREFIX],
            "key_hash": self.digest(key),
            "role": role,
            "coach_id": coach_id or None,
            "created_at": self._clock(),
            "last_used_at": None,
            "revoked_at": None,
        }
        conn.execute(api_keys.insert().values(row))
        return IssuedKey(key, api_key_from_row(row))

    def list(self, organisation_id: str, include_revoked: bool = False) -> list[ApiKey]:
        """The organisation's keys, oldest first."""
        query = sa.select(api_keys).where(api_keys.c.organisation_id == organisation_id)
        if not include_revoked:
            query = query.where(api_keys.c.revoked_at.is_(None))
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(api_keys.c.created_at, api_keys.c.id)).all()
        return [api_key_from_row(row) for row in rows]

    def page(
        self, organisation_id: str, after: Position | None = None, limit: int = 50
    ) -> tuple[list[ApiKey], list[str] | None]:
        """A page of the organisation's working keys, newest first (ties by id), and the position after it."""
        query = sa.select(api_keys).where(
            api_keys.c.organisation_id == organisation_id, api_keys.c.revoked_at.is_(None)
        )
        query = newest_first(query, api_keys.c.created_at, api_keys.c.id, after, limit)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        keys, position = page_of(rows, limit, lambda row: moment_position(row.created_at, row.id))
        return [api_key_from_row(row) for row in keys], position

    def get(self, organisation_id: str, key_id: str) -> ApiKey:
        """One key of the organisation; KeyNotFound for another organisation's key."""
        with self._engine.connect() as conn:
            return api_key_from_row(self._row(conn, organisation_id, key_id))

    def rotate(self, organisation_id: str, key_id: str) -> IssuedKey:
        """A new key with the same role and coach; the old one is revoked in the same transaction."""
        with self._engine.begin() as conn:
            old = self._row(conn, organisation_id, key_id, lock=True)
            if old.revoked_at is not None:
                raise KeyRevoked(
                    f"key {old.prefix}… ({key_id}) is revoked; issue a new key instead"
                )
            issued = self.issue(organisation_id, old.role, old.coach_id, conn=conn)
            conn.execute(
                api_keys.update().where(api_keys.c.id == key_id).values(revoked_at=self._clock())
            )
        return issued

    def revoke(self, organisation_id: str, key_id: str) -> ApiKey:
        """Revoke a key at once; an organisation always keeps one working admin key."""
        with self._engine.begin() as conn:
            key = self._row(conn, organisation_id, key_id, lock=True)
            if key.revoked_at is None:
                if key.role == "admin" and self._other_admins(conn, organisation_id, key_id) == 0:
                    raise LastAdminKey(
                        f"key {key.prefix}… is the organisation's last admin key: "
                        "issue or rotate to another admin key before revoking it"
                    )
                conn.execute(
                    api_keys.update()
                    .where(api_keys.c.id == key_id)
                    .values(revoked_at=self._clock())
                )
            return api_key_from_row(self._row(conn, organisation_id, key_id))

    def revoke_coach_keys(self, conn: sa.Connection, organisation_id: str, coach_id: str) -> int:
        """Revoke every working key of a coach, in `conn`'s transaction (the coach was deactivated)."""
        return conn.execute(
            api_keys.update()
            .where(
                api_keys.c.organisation_id == organisation_id,
                api_keys.c.coach_id == coach_id,
                api_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=self._clock())
        ).rowcount

    def authenticate(self, key: str) -> Principal | None:
        """The caller a presented key stands for, or None for an unknown or revoked key."""
        key_hash = self.lookup_digest(key)
        if key_hash is None:
            return None
        with self._reader.connect() as conn:
            row = conn.execute(_LIVE_KEY, {"key_hash": key_hash}).first()
        return self.caller(row)

    def lookup_digest(self, key: str) -> str | None:
        """The digest to look a presented key up by; None for what cannot be a key (nothing to look up)."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        return self.digest(key)

    def caller(self, row) -> Principal | None:
        """The caller a live key's row (KEY_COLUMNS, read by its digest) stands for; None for no row.

        Records when the key was last used, at most once a minute, so
        authentication does not cost a write per request.
        """
        if row is None:
            return None
        now = self._clock()
        if row.last_used_at is None or now - utc(row.last_used_at) >= LAST_USED_RESOLUTION:
            stale = sa.or_(
                api_keys.c.last_used_at.is_(None),
                api_keys.c.last_used_at <= now - LAST_USED_RESOLUTION,
            )
            with self._engine.begin() as conn:
                conn.execute(
                    api_keys.update()
                    .where(api_keys.c.id == row.key_id, stale)
                    .values(last_used_at=now)
                )
        return Principal(row.key_id, row.key_organisation_id, row.role, row.key_coach_id)

    @staticmethod
    def _row(conn: sa.Connection, organisation_id: str, key_id: str, lock: bool = False):
        query = sa.select(api_keys).where(
            api_keys.c.id == key_id, api_keys.c.organisation_id == organisation_id
        )
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise KeyNotFound(f"this organisation has no API key {key_id}")
        return row

    @staticmethod
    def _other_admins(conn: sa.Connection, organisation_id: str, key_id: str) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(api_keys)
            .where(
                api_keys.c.organisation_id == organisation_id,
                api_keys.c.role == "admin",
                api_keys.c.revoked_at.is_(None),
                api_keys.c.id != key_id,
            )
        )
        return conn.execute(query).scalar_one()
