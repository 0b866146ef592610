"""The failures below the services that the API maps to problem responses, named in one place.

The API answers a stale version (`ConcurrencyConflict`), a reused
Idempotency-Key (`EventIdReused`) and an unreachable database (503) without
knowing which store or driver raised them: it imports them from here, so
`api/` depends on the services only, never on `eventstore` or `sqlalchemy`.
"""

from __future__ import annotations

import psycopg
import sqlalchemy as sa

from eventstore import ConcurrencyConflict, EventIdReused

__all__ = ["DATABASE_UNAVAILABLE", "ConcurrencyConflict", "EventIdReused", "database_unavailable"]

# What a driver or pool raises when the database cannot be reached, or a connection drops mid-way.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa.exc.DBAPIError,
    sa.exc.DisconnectionError,
    sa.exc.TimeoutError,
    psycopg.OperationalError,
)


def database_unavailable(error: Exception) -> bool:
    """Whether `error` (one of DATABASE_UNAVAILABLE) means the database is out of reach, not a bad statement.

    A DBAPIError counts only when the connection was invalidated or it is an
    OperationalError; a constraint or programming error is the service's own fault.
    """
    if isinstance(error, sa.exc.DBAPIError):
        return bool(error.connection_invalidated) or isinstance(error, sa.exc.OperationalError)
    return True
