"""`careerplan store verify`, `store export` and `store forget` on a real database."""

from __future__ import annotations

import base64
import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from coaches_support import with_test_rosters
from plan_histories import Clock, enrol_seed_client
from tampering import as_database_owner

from careerplan.bootstrap import bootstrap
from careerplan.cli import main
from careerplan.settings import load_settings


@pytest.fixture
def cli_services(engine, monkeypatch):
    """The CLI's settings pointing at the test's database, and services built from them (sealing on)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("API_KEY_SECRET", "v" * 32)
    monkeypatch.setenv("MIGRATE_ON_START", "false")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        url = engine.url.set(query={"options": f"-csearch_path={schema}"})
        monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    services = with_test_rosters(bootstrap(load_settings(), engine=engine, clock=Clock()))
    yield services
    services.store.close()


def cli(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_verify_and_export(cli_services):
    client = enrol_seed_client(cli_services.plans, cli_services.clock)

    verified = cli("store", "verify")
    assert verified.exit_code == 0, verified.output
    assert "hash chains intact, every event readable" in verified.output

    exported = cli("store", "export", client, "--organisation", "org-a")
    lines = [json.loads(line) for line in exported.output.splitlines()]
    assert exported.exit_code == 0 and [e["version"] for e in lines] == list(
        range(1, len(lines) + 1)
    )
    assert lines[0]["type"] == "ClientEnrolled" and lines[0]["data"]["display_name"]
    assert lines[0]["prev_hash"] is None and lines[1]["prev_hash"] == lines[0]["hash"]

    elsewhere = cli("store", "export", client, "--organisation", "org-b")
    assert elsewhere.exit_code == 1 and "was not found" in elsewhere.output


def test_verify_names_the_first_altered_event(cli_services):
    client, other = (enrol_seed_client(cli_services.plans, cli_services.clock) for _ in range(2))
    with as_database_owner(cli_services.engine) as conn:
        conn.execute(
            sa.text(
                "UPDATE events SET schema_version = 7 WHERE stream_id = :s AND stream_version = 4"
            ),
            {"s": f"client-{client}"},
        )

    everything = cli("store", "verify")
    assert everything.exit_code == 1
    assert f"client-{client}: version 4: the content does not match its hash" in everything.output
    assert f"client-{other}" not in everything.output
    assert cli("store", "verify", "--client", other).exit_code == 0


def test_forget_then_export_shows_the_history_erased(cli_services):
    client = enrol_seed_client(cli_services.plans, cli_services.clock)

    declined = cli("store", "forget", client, "--organisation", "org-a", input="n\n")
    assert declined.exit_code == 1 and "forgotten" not in declined.output
    forgotten = cli(
        "store", "forget", client, "--organisation", "org-a", "--by", "dpo@example.com", "--yes"
    )
    assert forgotten.exit_code == 0 and f"client {client} forgotten at" in forgotten.output
    again = cli("store", "forget", client, "--organisation", "org-a", "-y")
    assert again.exit_code == 0 and "already forgotten" in again.output
    assert cli("store", "forget", client, "--organisation", "org-b", "--yes").exit_code == 1

    lines = [
        json.loads(line)
        for line in cli("store", "export", client, "--organisation", "org-a").output.splitlines()
    ]
    assert lines[0]["data"]["display_name"] is None and lines[0]["erased"] == ["display_name"]
    assert cli("store", "verify").exit_code == 0


def test_verify_needs_no_secret_and_checks_the_chains_as_stored(cli_services, monkeypatch):
    enrol_seed_client(cli_services.plans, cli_services.clock)
    monkeypatch.delenv("MASTER_KEY", raising=False)
    monkeypatch.delenv("API_KEY_SECRET", raising=False)
    verified = cli("store", "verify")
    assert verified.exit_code == 0, verified.output
    # PostgreSQL: no key at all; SQLite: the embedded default key, not the one these events were sealed under
    assert "hash chains intact, events not opened: MASTER_KEY is not" in verified.output


def test_a_wrong_master_key_is_one_clear_line_never_a_traceback(cli_services, monkeypatch):
    client = enrol_seed_client(cli_services.plans, cli_services.clock)
    monkeypatch.setenv("MASTER_KEY", base64.b64encode(b"w" * 32).decode())
    verified = cli("store", "verify")
    assert verified.exit_code == 0, verified.output
    assert "hash chains intact, events not opened: MASTER_KEY is not the key" in verified.output
    exported = cli("store", "export", client, "--organisation", "org-a")
    assert exported.exit_code == 1 and "Traceback" not in exported.output
    assert exported.output.count("\n") == 1 and "MASTER_KEY is not the key" in exported.output
