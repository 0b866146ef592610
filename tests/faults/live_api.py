"""The real app served on a loopback port, and an HTTP caller for it.

The fault tests talk to the service the way an integration does: over TCP,
each request on its own connection, from many threads at once, while the
database connection or the projections are being disturbed underneath.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from polling import TIMEOUT_SECONDS, eventually
from werkzeug.serving import make_server

from api import create_app
from careerplan.bootstrap import Services, bootstrap
from careerplan.seed_example import GOAL_KEYS, seed_id
from careerplan.settings import load_settings
from eventstore.engine import make_engine


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, headers (names lower-cased) and the JSON body, if any."""

    status: int
    headers: dict[str, str]
    body: dict | None


class Caller:
    """One API key calling the served app over loopback."""

    def __init__(self, port: int, key: str):
        self.port, self.key = port, key

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        headers: dict | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            sent = {"Authorization": f"Bearer {self.key}", **(headers or {})}
            payload = None
            if body is not None:
                payload = json.dumps(body)
                sent["Content-Type"] = "application/json"
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            answer_headers = {name.lower(): value for name, value in response.getheaders()}
            parsed = (
                json.loads(raw)
                if raw and "json" in answer_headers.get("content-type", "")
                else None
            )
            return Answer(response.status, answer_headers, parsed)
        finally:
            connection.close()

    def check_in(self, client_id: str, check_in_id: str, headers: dict | None = None) -> Answer:
        """Record a check-in with the caller's own id on the client's first goal."""
        goal = seed_id(client_id, "goal", GOAL_KEYS[0])
        body = {"check_in_id": check_in_id, "confidence": 7, "value": 1}
        return self.request(
            "POST", f"/v1/clients/{client_id}/goals/{goal}/check-ins", body, headers
        )


class LiveServer:
    """`create_app(services)` under werkzeug's threaded server on a free loopback port."""

    def __init__(self, services: Services):
        self._server = make_server("127.0.0.1", 0, create_app(services=services), threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="live-api", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(TIMEOUT_SECONDS)


@dataclass
class Live:
    """A served app and what a test needs around it: its services, an admin caller, its organisation."""

    services: Services
    server: LiveServer
    caller: Caller
    organisation_id: str

    def close(self) -> None:
        self.server.stop()
        self.services.store.close()


def serve(engine: sa.Engine) -> Live:
    """The app on `engine`, served on loopback, with a new organisation and its admin key."""
    services = services_on(engine)
    organisation_id, key = new_organisation(services)
    server = LiveServer(services)
    return Live(services, server, Caller(server.port, key), organisation_id)


def schema_of(engine: sa.Engine) -> str:
    """The schema the engine's connections work in (each test has its own)."""
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT current_schema()")).scalar_one()


def engine_behind(postgres_engine, proxy, **kwargs) -> sa.Engine:
    """An engine on the test's schema that reaches PostgreSQL only through `proxy`.

    Plain TCP (no TLS) and no server-side prepared statements, so the proxy
    can see each statement's text and cut the connection on it.
    """
    url = postgres_engine.url.set(host="127.0.0.1", port=proxy.port)
    return make_engine(
        url.render_as_string(hide_password=False),
        connect_args={
            "options": f"-c search_path={schema_of(postgres_engine)}",
            "sslmode": "disable",
            "prepare_threshold": None,
        },
        pool_size=8,
        **kwargs,
    )


def services_on(engine: sa.Engine) -> Services:
    """The app's services on `engine`: no broker, no effective rate limit, the real clock.

    Secrets and keys come from the environment, which the suite's fixtures set.
    """
    settings = dataclasses.replace(
        load_settings(),
        database_url=str(engine.url),
        redis_url=None,
        migrate_on_start=False,
        rate_limit="1000000/minute",
        metrics_enabled=False,
    )
    return bootstrap(settings, engine=engine)


def new_organisation(services: Services) -> tuple[str, str]:
    """(organisation id, admin key) of a new organisation."""
    organisation, key = services.tenancy.organisations.create("Fault Coaching")
    return organisation.organisation_id, key.key


def wait_for(condition: Callable[[], bool], what: str, seconds: float = TIMEOUT_SECONDS) -> None:
    """Poll until `condition()` holds; fail naming `what` after a generous deadline."""
    if not eventually(condition, seconds):
        raise AssertionError(f"timed out after {seconds}s waiting for {what}")
