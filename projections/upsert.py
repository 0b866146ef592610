"""Insert-or-replace rows by key, the same call on PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def upsert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], key: str) -> None:
    """Write `rows` into `table`, replacing any row with the same `key`."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    updates = {c.name: statement.excluded[c.name] for c in table.c if c.name != key}
    conn.execute(statement.on_conflict_do_update(index_elements=[key], set_=updates), list(rows))


def insert_unless_present(conn: sa.Connection, table: sa.Table, row: dict[str, Any]) -> bool:
    """Insert `row` unless one with the same unique key exists; True when it was inserted."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**row).on_conflict_do_nothing()
    # RETURNING, not rowcount: psycopg reports -1 for a conflict-tolerant insert.
    key = next(iter(table.primary_key.columns))
    return conn.execute(statement.returning(key)).first() is not None
