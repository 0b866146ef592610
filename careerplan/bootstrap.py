"""The one place where the service's parts are built and wired together."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from careerplan.settings import Settings
from eventstore import EventStore
from eventstore.engine import make_engine
from eventstore.migrate import upgrade


@dataclass
class Services:
    """What the API, the workers and the CLI share for one process."""

    settings: Settings
    engine: sa.Engine
    store: EventStore


def bootstrap(settings: Settings, *, engine: sa.Engine | None = None) -> Services:
    """Build the store (migrating first when the settings ask for it)."""
    engine = engine or make_engine(settings.database_url)
    if settings.migrate_on_start:
        upgrade(engine)
    return Services(settings=settings, engine=engine, store=EventStore(engine))
