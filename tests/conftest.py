"""Shared fixtures: real databases and Redis namespaces that clean up after themselves.

Each test session creates its own PostgreSQL database; each test gets its own
schema in it (or its own SQLite file), migrated with Alembic `upgrade head`,
exactly as production tables are made.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from servers import postgres_server, redis_server, unavailable
from settings_support import TEST_MASTER_KEY

from eventstore import EventStore
from eventstore.engine import make_engine, normalise_url
from eventstore.migrate import upgrade


@pytest.fixture(autouse=True)
def master_key(monkeypatch) -> None:
    """Every test's settings (and the processes it starts) have a master key, as a deployment must."""
    monkeypatch.setenv("MASTER_KEY", TEST_MASTER_KEY)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """URL of a database made for this test session and dropped after it."""
    with postgres_server() as server_url:
        if server_url is None:
            yield None
            return
        server = sa.make_url(normalise_url(server_url))
        name = f"careerplan_test_{uuid.uuid4().hex[:12]}"
        admin = make_engine(
            server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture
def postgres_engine(postgres_database) -> Iterator[sa.Engine]:
    """An engine on a fresh, migrated schema of the session's PostgreSQL database."""
    if postgres_database is None:
        unavailable("PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with make_engine(postgres_database).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        postgres_database, connect_args={"options": f"-c search_path={schema}"}, pool_size=20
    )
    upgrade(engine)
    yield engine
    engine.dispose()
    with make_engine(postgres_database).begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[sa.Engine]:
    """An engine on a fresh, migrated SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'events.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request) -> sa.Engine:
    """The same test on both supported databases."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def store(engine) -> EventStore:
    return EventStore(engine)


@pytest.fixture
def pg_store(postgres_engine) -> EventStore:
    return EventStore(postgres_engine)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str | None]:
    with redis_server() as url:
        yield url


@pytest.fixture
def redis_namespace(redis_url) -> Iterator[tuple[str, str]]:
    """(Redis URL, key prefix) for one test; its keys are deleted afterwards, nothing else."""
    if redis_url is None:
        unavailable("Redis")
    import redis

    prefix = f"careerplan-test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.ConnectionError:
        unavailable("Redis")
    yield redis_url, prefix
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)
    client.close()
