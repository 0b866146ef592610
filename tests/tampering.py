"""Behind the application's back, as a database owner could: alter stored events, search every table."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def as_database_owner(engine: sa.Engine):
    """A connection with the append-only guard lifted, as an owner bypassing the application could."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE events DISABLE TRIGGER USER"))
            yield conn
            conn.execute(sa.text("ALTER TABLE events ENABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER events_no_update"))
            conn.execute(sa.text("DROP TRIGGER events_no_delete"))
            yield conn
            conn.execute(
                sa.text(
                    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
                    "BEGIN SELECT RAISE(ABORT, 'UPDATE refused'); END"
                )
            )
            conn.execute(
                sa.text(
                    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
                    "BEGIN SELECT RAISE(ABORT, 'DELETE refused'); END"
                )
            )


def tables_holding(engine: sa.Engine, text: str) -> list[str]:
    """Every table with a row whose text form contains `text` (every column, JSON and bytes included)."""
    found = []
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            if conn.dialect.name == "postgresql":
                rows = conn.execute(sa.text(f'SELECT CAST(t AS text) FROM "{table}" t')).scalars()
            else:
                rows = (
                    repr(tuple(row)) for row in conn.execute(sa.text(f'SELECT * FROM "{table}"'))
                )
            if any(text in row for row in rows):
                found.append(table)
    return found
