"""Fixtures of the fault-injection suite: the app served over loopback, optionally behind a TCP proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_api import Live, engine_behind, schema_of, serve
from tcp_proxy import TcpProxy

from eventstore.engine import make_engine


@pytest.fixture(autouse=True)
def api_key_secret(monkeypatch) -> None:
    """A server secret for the app's keys, whatever the environment says."""
    monkeypatch.setenv("API_KEY_SECRET", "fault-test-secret-0123456789abcdefghij")


@pytest.fixture
def live(postgres_engine) -> Iterator[Live]:
    """The app on the test's PostgreSQL schema, served on a loopback port.

    Its pools hold a connection for each of the 32 racing threads, so a
    request never waits for a connection however slow the machine is.
    """
    engine = make_engine(
        postgres_engine.url.render_as_string(hide_password=False),
        connect_args={"options": f"-c search_path={schema_of(postgres_engine)}"},
        pool_size=40,
    )
    served = serve(engine)
    yield served
    served.close()
    engine.dispose()


@pytest.fixture
def proxy(postgres_engine) -> Iterator[TcpProxy]:
    """A TCP proxy of the test's own in front of the test's PostgreSQL server."""
    url = postgres_engine.url
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def live_behind_proxy(postgres_engine, proxy) -> Iterator[Live]:
    """The app on the test's schema, connecting to PostgreSQL only through `proxy`."""
    engine = engine_behind(postgres_engine, proxy)
    served = serve(engine)
    yield served
    served.close()
    engine.dispose()
