"""Organisations: the tenants. Creating one also issues its first admin key, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from domain.errors import InvalidValue, NotFound
from domain.text import require_text
from eventstore.schema import utc
from services.access.api_keys import ApiKeys, IssuedKey
from services.access.tables import organisations
from services.plans import Clock


class OrganisationNotFound(NotFound):
    code = "organisation_not_found"


@dataclass(frozen=True)
class Organisation:
    """A coaching firm; nothing crosses from one organisation to another."""

    organisation_id: str
    name: str
    created_at: datetime


def _organisation(row) -> Organisation:
    return Organisation(row.id, row.name, utc(row.created_at))


class Organisations:
    """Create, find and list organisations."""

    def __init__(self, engine: sa.Engine, keys: ApiKeys, clock: Clock):
        self._engine = engine
        self._keys = keys
        self._clock = clock

    def create(self, name: str) -> tuple[Organisation, IssuedKey]:
        """A new organisation and its first admin key (shown once: the caller must pass it on)."""
        name = require_text(name, "the organisation's name")
        if len(name) > 200:
            raise InvalidValue("an organisation's name has at most 200 characters")
        organisation = Organisation(str(uuid.uuid4()), name, self._clock())
        with self._engine.begin() as conn:
            conn.execute(
                organisations.insert().values(
                    id=organisation.organisation_id,
                    name=name,
                    created_at=organisation.created_at,
                )
            )
            key = self._keys.issue(organisation.organisation_id, "admin", conn=conn)
        return organisation, key

    def get(self, organisation_id: str) -> Organisation:
        """One organisation; OrganisationNotFound when there is none with that id."""
        with self._engine.connect() as conn:
            row = conn.execute(
                sa.select(organisations).where(organisations.c.id == organisation_id)
            ).first()
        if row is None:
            raise OrganisationNotFound(f"there is no organisation {organisation_id}")
        return _organisation(row)

    def list(self) -> list[Organisation]:
        """Every organisation, oldest first (for operators, via the CLI)."""
        query = sa.select(organisations).order_by(organisations.c.created_at, organisations.c.id)
        with self._engine.connect() as conn:
            return [_organisation(row) for row in conn.execute(query)]
