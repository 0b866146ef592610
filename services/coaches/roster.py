"""The coach roster of each organisation: create, list a page at a time, read, update.

A coach's id is the `coach_id` clients and coach keys name: the caller's
when given (an id the firm already uses elsewhere), else a new UUID. Emails
are kept lower-case and unique per organisation. Deactivating a coach keeps
them and their history (events are never changed; their clients stay assigned
until reassigned) but revokes their keys in the same transaction, so they stop
authenticating at once; reactivating does not bring those keys back (issue new
ones), which is the safe way round.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from domain.text import require_text
from services.access.api_keys import ApiKeys
from services.coaches.records import (
    Coach,
    CoachEmailTaken,
    CoachExists,
    CoachNotFound,
    coach_from_row,
)
from services.coaches.tables import coaches
from services.plans import Clock

UNSET = object()  # an update field left out (None is a value: "no email")


@dataclass(frozen=True)
class CoachPage:
    """One page of coaches by id; `next_after` is the id to continue after (None on the last page)."""

    items: list[Coach]
    next_after: str | None


def _email(email: str | None) -> str | None:
    return email.strip().lower() if email else None


class Coaches:
    """The organisations' coaches."""

    def __init__(self, engine: sa.Engine, clock: Clock, keys: ApiKeys):
        self._engine = engine
        self._clock = clock
        self._keys = keys

    def create(
        self, organisation_id: str, name: str, email: str | None = None, coach_id: str | None = None
    ) -> Coach:
        """A new active coach; CoachExists for a taken id, CoachEmailTaken for a taken email."""
        now = self._clock()
        row = {
            "organisation_id": organisation_id,
            "id": coach_id or str(uuid.uuid4()),
            "name": require_text(name, "the coach's name"),
            "email": _email(email),
            "active": True,
            "created_at": now,
            "updated_at": now,
        }
        with self._engine.begin() as conn:
            if self._find(conn, organisation_id, row["id"]) is not None:
                raise CoachExists(f"this organisation has a coach {row['id']!r} already")
            self._check_email(conn, organisation_id, row["email"], row["id"])
            try:
                conn.execute(coaches.insert().values(row))
            except sa.exc.IntegrityError as error:  # a racing create took the id or the email
                raise CoachExists(
                    f"a coach with the id {row['id']!r} or this email was created at the same moment"
                ) from error
        return coach_from_row(row)

    def get(self, organisation_id: str, coach_id: str) -> Coach:
        """One coach of the organisation; CoachNotFound for another organisation's."""
        with self._engine.connect() as conn:
            return coach_from_row(self._row(conn, organisation_id, coach_id))

    def page(
        self,
        organisation_id: str,
        *,
        active: bool | None = None,
        only: str | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> CoachPage:
        """Up to `limit` coaches after `after`, by id; `only` narrows to one coach (a coach key's own)."""
        query = (
            sa.select(coaches)
            .where(coaches.c.organisation_id == organisation_id)
            .order_by(coaches.c.id)
            .limit(limit + 1)
        )
        if active is not None:
            query = query.where(coaches.c.active == active)
        if only is not None:
            query = query.where(coaches.c.id == only)
        if after is not None:
            query = query.where(coaches.c.id > after)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        items = [coach_from_row(row) for row in rows[:limit]]
        return CoachPage(items, items[-1].coach_id if len(rows) > limit else None)

    def update(
        self, organisation_id: str, coach_id: str, *, name=UNSET, email=UNSET, active=UNSET
    ) -> Coach:
        """Change name, email or active; deactivating revokes the coach's keys in the same transaction."""
        with self._engine.begin() as conn:
            current = coach_from_row(self._row(conn, organisation_id, coach_id, lock=True))
            values = {}
            if name is not UNSET:
                values["name"] = require_text(name, "the coach's name")
            if email is not UNSET:
                values["email"] = _email(email)
                self._check_email(conn, organisation_id, values["email"], coach_id)
            if active is not UNSET:
                values["active"] = bool(active)
                if current.active and not active:
                    self._keys.revoke_coach_keys(conn, organisation_id, coach_id)
            if values:
                values["updated_at"] = self._clock()
                conn.execute(
                    coaches.update()
                    .where(coaches.c.organisation_id == organisation_id, coaches.c.id == coach_id)
                    .values(values)
                )
            return coach_from_row(self._row(conn, organisation_id, coach_id))

    @staticmethod
    def _find(conn: sa.Connection, organisation_id: str, coach_id: str, lock: bool = False):
        query = sa.select(coaches).where(
            coaches.c.organisation_id == organisation_id, coaches.c.id == coach_id
        )
        return conn.execute(query.with_for_update() if lock else query).first()

    def _row(self, conn: sa.Connection, organisation_id: str, coach_id: str, lock: bool = False):
        row = self._find(conn, organisation_id, coach_id, lock)
        if row is None:
            raise CoachNotFound(f"this organisation has no coach {coach_id!r}")
        return row

    @staticmethod
    def _check_email(conn: sa.Connection, organisation_id: str, email: str | None, coach_id: str):
        if email is None:
            return
        taken = conn.execute(
            sa.select(coaches.c.id).where(
                coaches.c.organisation_id == organisation_id,
                coaches.c.email == email,
                coaches.c.id != coach_id,
            )
        ).first()
        if taken is not None:
            raise CoachEmailTaken(f"coach {taken.id!r} of this organisation has the email {email}")
