"""Find a real PostgreSQL and Redis for the tests.

Order: a URL from the environment (CI sets DATABASE_URL / REDIS_URL), then a
throwaway container when a Docker daemon answers, then the conventional local
server on its standard port. When none answers, a test that needs the server
fails under CI=true and is skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator

import pytest

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def unavailable(what: str) -> None:
    """Fail under CI (a missing server must turn CI red), skip on a laptop."""
    message = f"no {what} server: set the URL in the environment, run Docker, or start one locally"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def docker_daemon_answers() -> bool:
    """True only when a Docker daemon (not merely the client binary) responds."""
    try:
        import docker

        client = docker.from_env(timeout=3)
        client.ping()
        client.close()
        return True
    except Exception:  # noqa: BLE001 - any failure means no usable Docker daemon here
        return False


def port_answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


@contextlib.contextmanager
def postgres_server() -> Iterator[str | None]:
    """A SQLAlchemy URL of a PostgreSQL server whose database we may create databases from."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif docker_daemon_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver="psycopg") as container:
            yield container.get_connection_url()
    elif port_answers("127.0.0.1", 5432):
        yield LOCAL_POSTGRES
    else:
        yield None


@contextlib.contextmanager
def redis_server() -> Iterator[str | None]:
    """A redis:// URL of a Redis server the tests may use under their own key prefix."""
    if url := os.environ.get("REDIS_URL"):
        yield url
    elif docker_daemon_answers():
        from testcontainers.redis import RedisContainer

        with RedisContainer("redis:7-alpine") as container:
            host, port = container.get_container_host_ip(), container.get_exposed_port(6379)
            yield f"redis://{host}:{port}/0"
    elif port_answers("127.0.0.1", 6379):
        yield LOCAL_REDIS
    else:
        yield None
