"""Altering stored events behind the application's back, as a database owner could: for tamper-evidence tests."""

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
            conn.execute(sa.text("CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
                                 "BEGIN SELECT RAISE(ABORT, 'UPDATE refused'); END"))
            conn.execute(sa.text("CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
                                 "BEGIN SELECT RAISE(ABORT, 'DELETE refused'); END"))
