"""Engines for the two supported databases, configured the same way everywhere."""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa

from eventstore import deadline, json_text
from eventstore.waits import DEFAULT_WAITS, Waits

IDLE_BEFORE_PING = 1.0  # seconds
# Every engine alike. JSON columns: views and events are decoded on every request.
# A failing statement's error never shows its bound values: they may hold secrets or personal text.
ENGINE_OPTIONS = {
    "json_serializer": json_text.dumps,
    "json_deserializer": json_text.loads,
    "hide_parameters": True,
}


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, waits: Waits = DEFAULT_WAITS, **kwargs) -> sa.Engine:
    """An engine for `url`: PostgreSQL via psycopg, or an SQLite file in WAL mode.

    A PostgreSQL connection that sat idle in the pool is pinged when taken out,
    so after the database (or the network to it) dropped it, the request gets a
    new one instead of failing: recovery needs no restart. One in steady use is
    not pinged (a ping is a round trip, and a command takes several connections).

    Every wait on PostgreSQL is bounded by `waits` (connect, keepalives,
    statement and lock timeouts, pool checkout); `connect_args` given are
    merged in (their `options` joined, not replaced), and within a
    `deadline.deadline(...)` the connections in use are cut when it passes.
    """
    url = normalise_url(url)
    kwargs = {**ENGINE_OPTIONS, **kwargs}
    if url.startswith("sqlite"):
        database = sa.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A database that drops packets instead of refusing must not hang a request: 503 after these.
    given = dict(kwargs.get("connect_args", {}))
    # `?options=-csearch_path=…` in the URL is joined too: connect_args would replace it.
    if url_options := sa.make_url(url).query.get("options"):
        given["options"] = " ".join(filter(None, [url_options, given.get("options")]))
    kwargs["connect_args"] = waits.connect_args(given)
    kwargs.setdefault("pool_timeout", waits.pool_timeout_s)
    engine = sa.create_engine(url, **kwargs)
    _ping_when_idle(engine)
    deadline.watch(engine)
    return engine


def _ping_when_idle(engine: sa.Engine) -> None:
    """Ping a pooled connection idle for more than IDLE_BEFORE_PING seconds before lending it.

    A dead one is replaced (DisconnectionError makes the pool connect anew).
    The listeners live on the pool, so `autocommit_engine`'s copy has them too.
    A connection dropped while in use fails its request (503), and SQLAlchemy
    then discards every connection of that pool lent before the failure.
    """
    dialect = engine.dialect

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _lent(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
            if not dbapi_connection.autocommit:
                dbapi_connection.rollback()  # the ping began a transaction: start the lender's afresh
        except Exception as dropped:  # noqa: BLE001 - any failure means the connection is unusable
            raise sa.exc.DisconnectionError(
                f"a pooled connection was dropped while idle: {dropped}"
            ) from dropped


def autocommit_engine(engine: sa.Engine) -> sa.Engine:
    """An engine in autocommit beside `engine` (same creator and listeners, a pool of its own).

    Single statements run atomically on their own: autocommit spares them BEGIN
    and COMMIT (or ROLLBACK). A pool of its own stays in autocommit, so
    connections are not switched back and forth on every checkout.
    """
    return sa.create_engine(
        engine.url, pool=engine.pool.recreate(), isolation_level="AUTOCOMMIT", **ENGINE_OPTIONS
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
