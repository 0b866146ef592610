"""One statement on psycopg's own cursor, for the store's hottest statements on PostgreSQL.

Reading a stream and appending one event run on every command. SQLAlchemy's
execution context and result rows cost more client CPU than the driver's
work itself, and with several writers on few cores that CPU is what bounds
throughput. These run the statement (compiled once) on the driver's cursor
of a pooled connection, so the pool's listeners (ping, deadline) still
apply, and a failure reaches the caller as SQLAlchemy would raise it
(an IntegrityError stays an IntegrityError; a dropped connection is
invalidated, with every connection of its pool lent before it).
"""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy as sa

# The driver's (compiled) loader of text columns, to read JSON documents as their text.
TEXT_LOADER = psycopg.adapters.get_loader(
    psycopg.postgres.types["text"].oid, psycopg.pq.Format.TEXT
)


def compile_for(engine: sa.Engine, statement: sa.Executable, **kw: Any) -> str:
    """`statement` as the SQL text the driver takes (pyformat: named `%(name)s` parameters)."""
    return str(statement.compile(dialect=engine.dialect, **kw))


def fetch_all(
    engine: sa.Engine,
    sql: str,
    params: dict[str, Any],
    *,
    jsonb_loader: type[psycopg.abc.Loader] | None = None,
) -> list[tuple]:
    """Every row of one statement run on a pooled connection (jsonb columns by `jsonb_loader` when given)."""
    with engine.connect() as conn:
        proxied = conn.connection
        try:
            with proxied.dbapi_connection.cursor() as cursor:
                if jsonb_loader is not None:
                    cursor.adapters.register_loader("jsonb", jsonb_loader)
                cursor.execute(sql, params)
                return cursor.fetchall()
        except psycopg.Error as error:
            raise _as_sqlalchemy(conn, error, sql, params) from error


def _as_sqlalchemy(
    conn: sa.Connection, error: psycopg.Error, sql: str, params: dict[str, Any]
) -> Exception:
    """The exception SQLAlchemy raises for `error`, having invalidated the connection if it dropped."""
    dropped = conn.dialect.is_disconnect(error, conn.connection.dbapi_connection, None)
    if dropped:
        # As SQLAlchemy does on a disconnect: the connections made before this one are stale too.
        conn.engine.pool._invalidate(conn.connection, error)
        conn.invalidate(error)
    return sa.exc.DBAPIError.instance(
        sql,
        params,
        error,
        psycopg.Error,
        hide_parameters=True,
        connection_invalidated=dropped,
        dialect=conn.dialect,
    )
