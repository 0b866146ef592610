"""The real app over Flask's test client, on SQLite and PostgreSQL, with organisations and keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from coaches_support import ROSTER, add_coaches
from flask.testing import FlaskClient

from api import create_app
from careerplan.bootstrap import Services, bootstrap
from careerplan.settings import load_settings

TEST_KEY_SECRET = "e2e-test-secret-0123456789abcdefghijklmnop"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def api_key_secret(monkeypatch) -> None:
    """Every e2e test runs with a server secret, so it works whatever DATABASE_URL says."""
    monkeypatch.setenv("API_KEY_SECRET", TEST_KEY_SECRET)
    # The seeds' webhook host: it need not resolve on a test machine (and is never delivered to).
    monkeypatch.setenv("WEBHOOK_ALLOWED_HOSTS", "hooks.example.com")


class Clock:
    """A settable clock, so time-dependent answers (due dates, last used) are deterministic."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(engine, clock) -> Iterator[Services]:
    # No broker: a test that wants Redis passes its own namespace (never the shared default);
    # no effective rate limit: the tests of limits set their own.
    settings = dataclasses.replace(load_settings(), redis_url=None, rate_limit="100000/minute")
    services = bootstrap(settings, engine=engine, clock=clock)
    yield services
    services.store.close()


@pytest.fixture
def http(services) -> FlaskClient:
    return create_app(services=services).test_client()


@dataclass
class Caller:
    """One API key talking to the app: `caller.post(path, json=…, headers=…)`."""

    http: FlaskClient
    key: str
    organisation_id: str = ""
    key_id: str = ""

    def request(self, method: str, path: str, json=None, headers: dict | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        return self.http.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json if json is not None else {}, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def with_key(self, issued) -> Caller:
        """Another caller of the same organisation, with a key issued by the services."""
        return Caller(self.http, issued.key, self.organisation_id, issued.api_key.key_id)


def new_organisation(services: Services, http: FlaskClient, name: str) -> Caller:
    """A new organisation, its first admin key, and the coaches `ROSTER` names on its roster."""
    organisation, key = services.tenancy.organisations.create(name)
    add_coaches(services, organisation.organisation_id, *ROSTER)
    return Caller(http, key.key, organisation.organisation_id, key.api_key.key_id)


@pytest.fixture
def admin_a(services, http) -> Caller:
    return new_organisation(services, http, "Acme Coaching")


@pytest.fixture
def admin_b(services, http) -> Caller:
    return new_organisation(services, http, "Bright Careers")
