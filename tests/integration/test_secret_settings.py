"""Start-up refuses shipped placeholder, embedded or short secrets outside SQLite, and a MASTER_KEY not the database's."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import yaml
from coaches_support import with_test_rosters
from plan_histories import Clock, enrol_seed_client
from settings_support import TEST_MASTER_KEY

from careerplan.bootstrap import bootstrap
from careerplan.settings import (
    EMBEDDED_API_KEY_SECRET,
    EMBEDDED_MASTER_KEY,
    Settings,
    SettingsError,
    load_settings,
)

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
REAL_API_KEY_SECRET = "k" * 48
REAL_MASTER_KEY = base64.b64encode(b"m" * 32).decode()


def shipped(name: str) -> set[str]:
    """The values of setting `name` in deploy/.env.example and the k8s Secret."""
    env_file = re.search(rf"^{name}=(.*)$", (DEPLOY / ".env.example").read_text(), re.M).group(1)
    secret = next(
        d
        for d in yaml.safe_load_all((DEPLOY / "k8s" / "config.yaml").read_text())
        if d["kind"] == "Secret"
    )
    return {env_file, secret["stringData"][name]}


@pytest.fixture
def on_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://careerplan@db.example/careerplan")
    monkeypatch.setenv("API_KEY_SECRET", REAL_API_KEY_SECRET)
    monkeypatch.setenv("MASTER_KEY", REAL_MASTER_KEY)
    return monkeypatch


@pytest.mark.parametrize(
    "name, value",
    [
        *[("API_KEY_SECRET", v) for v in shipped("API_KEY_SECRET")],
        ("API_KEY_SECRET", EMBEDDED_API_KEY_SECRET),
        *[("MASTER_KEY", v) for v in shipped("MASTER_KEY")],
        ("MASTER_KEY", EMBEDDED_MASTER_KEY),
        ("API_KEY_SECRET", "please-replace-me-with-a-long-random-string-of-text"),
    ],
)
def test_a_placeholder_secret_stops_start_up_naming_the_setting_and_how_to_make_one(
    on_postgres, name, value
):
    on_postgres.setenv(name, value)
    with pytest.raises(SettingsError, match=f"^{name} is a placeholder.*python -c"):
        load_settings()


def test_a_short_api_key_secret_stops_start_up_naming_it(on_postgres):
    on_postgres.setenv("API_KEY_SECRET", "too-short")
    with pytest.raises(SettingsError, match="API_KEY_SECRET"):
        load_settings()


def test_real_secrets_start_and_the_embedded_default_needs_none(on_postgres):
    assert load_settings().master_key == REAL_MASTER_KEY
    for name in ("DATABASE_URL", "API_KEY_SECRET", "MASTER_KEY"):
        on_postgres.delenv(name)
    assert load_settings().embedded  # the README's first command, on a fresh machine


def test_a_master_key_that_is_not_the_databases_stops_start_up_naming_it(engine):
    settings = Settings(
        database_url=str(engine.url),
        migrate_on_start=False,
        api_key_secret="x" * 32,
        master_key=TEST_MASTER_KEY,
    )
    first = with_test_rosters(bootstrap(settings, engine=engine, clock=Clock()))
    enrol_seed_client(first.plans, first.clock)
    first.store.close()
    other = Settings(
        database_url=str(engine.url),
        migrate_on_start=False,
        api_key_secret="x" * 32,
        master_key=REAL_MASTER_KEY,
    )
    with pytest.raises(
        SettingsError, match="^MASTER_KEY is not the key this database's client data keys"
    ):
        bootstrap(other, engine=engine, clock=Clock())
