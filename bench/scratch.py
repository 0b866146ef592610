"""A scratch PostgreSQL database for one benchmark run, dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import sqlalchemy as sa

from eventstore.engine import make_engine, normalise_url
from eventstore.migrate import upgrade

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """Create a migrated database on $DATABASE_URL's server; yield its SQLAlchemy URL."""
    server = sa.make_url(normalise_url(os.environ.get("DATABASE_URL", DEFAULT_URL)))
    if not server.drivername.startswith("postgresql"):
        raise SystemExit("benchmarks need DATABASE_URL to name a PostgreSQL server")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def libpq_url(sqlalchemy_url: str) -> str:
    """The same URL as psycopg itself takes it (no '+psycopg' driver part)."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)
