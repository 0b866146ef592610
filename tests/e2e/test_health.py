"""The service answers its probes and documents itself, on both databases."""

from __future__ import annotations

import pytest

from api import create_app
from careerplan.bootstrap import bootstrap
from careerplan.serving import app_for
from careerplan.settings import SettingsError, load_settings


@pytest.fixture
def client(engine):
    settings = load_settings()
    return create_app(services=bootstrap(settings, engine=engine)).test_client()


def test_health_and_ready(client):
    assert client.get("/health").json == {"status": "ok"}
    assert client.get("/ready").json == {"status": "ok"}


def test_ready_reports_an_unreachable_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("MIGRATE_ON_START", "false")
    client = app_for(load_settings()).test_client()

    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_openapi_document_is_served(client):
    document = client.get("/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert {"/health", "/ready"} <= set(document["paths"])


def test_bad_settings_are_reported_by_name(monkeypatch):
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(SettingsError, match="PORT"):
        load_settings()
