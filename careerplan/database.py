"""The engine for the configured database, with the waits the settings bound (one place for every process)."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from careerplan.settings import Settings
from eventstore.engine import make_engine
from eventstore.waits import Waits


def waits_of(settings: Settings) -> Waits:
    """The connect, statement, lock and pool-checkout bounds from the settings."""
    return Waits(
        connect_timeout_s=settings.database_connect_timeout_s,
        statement_timeout_ms=settings.database_statement_timeout_ms,
        lock_timeout_ms=settings.database_lock_timeout_ms,
        pool_timeout_s=settings.database_pool_timeout_s,
    )


def engine_for(settings: Settings, statement_timeout_ms: int | None = None, **kwargs) -> sa.Engine:
    """`make_engine` on DATABASE_URL, bounded by the settings' waits (SQLite ignores them).

    `statement_timeout_ms` overrides the setting for this engine (0: none, for migrations).
    """
    waits = waits_of(settings)
    if statement_timeout_ms is not None:
        waits = dataclasses.replace(waits, statement_timeout_ms=statement_timeout_ms)
    return make_engine(settings.database_url, waits=waits, **kwargs)
