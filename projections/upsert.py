"""Insert-or-replace rows by key, the same call on PostgreSQL and SQLite.

The statements are built once per table, key and dialect and kept: projections
write on every command, and building an upsert costs more than running it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def _dialect(conn: sa.Connection):
    return postgresql if conn.dialect.name == "postgresql" else sqlite


@lru_cache(maxsize=64)
def _upsert_statement(table: sa.Table, key: str, dialect_name: str) -> sa.Insert:
    statement = (postgresql if dialect_name == "postgresql" else sqlite).insert(table)
    updates = {c.name: statement.excluded[c.name] for c in table.c if c.name != key}
    return statement.on_conflict_do_update(index_elements=[key], set_=updates)


def upsert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], key: str) -> None:
    """Write `rows` into `table`, replacing any row with the same `key`."""
    if not rows:
        return
    statement = _upsert_statement(table, key, conn.dialect.name)
    conn.execute(statement, rows[0] if len(rows) == 1 else list(rows))


def insert_unless_present(conn: sa.Connection, table: sa.Table, row: dict[str, Any]) -> bool:
    """Insert `row` unless one with the same unique key exists; True when it was inserted."""
    statement = _dialect(conn).insert(table).values(**row).on_conflict_do_nothing()
    # RETURNING, not rowcount: psycopg reports -1 for a conflict-tolerant insert.
    key = next(iter(table.primary_key.columns))
    return conn.execute(statement.returning(key)).first() is not None


def insert_all_unless_present(
    conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], returning: sa.Column
) -> set[Any]:
    """Insert each of `rows` unless one with the same unique key exists, in one statement.

    Returns the `returning` column's values of the rows inserted (as
    `insert_unless_present` answers True for each of them).
    """
    if not rows:
        return set()
    statement = _dialect(conn).insert(table).on_conflict_do_nothing().returning(returning)
    return set(conn.execute(statement, list(rows)).scalars())
