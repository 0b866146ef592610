"""Engines for the two supported databases, configured the same way everywhere."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, **kwargs) -> sa.Engine:
    """An engine for `url`: PostgreSQL via psycopg, or an SQLite file in WAL mode.

    PostgreSQL connections are pinged when taken from the pool, so after the
    database (or the network to it) drops them, the next request reconnects
    instead of failing on a dead pooled connection: recovery needs no restart.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = sa.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # A database that drops packets instead of refusing must not hang a request: 503 after this.
    kwargs["connect_args"] = {"connect_timeout": 10, **kwargs.get("connect_args", {})}
    return sa.create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
