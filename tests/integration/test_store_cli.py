"""`careerplan store verify` and `store export` on a real database."""

from __future__ import annotations

import json

import sqlalchemy as sa
from click.testing import CliRunner

from careerplan.cli import main
from eventstore import EventStore
from plan_histories import Clock, enrol_seed_client
from services.event_mapping import domain_codec
from services.plans import CareerPlans


def test_verify_and_export(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("API_KEY_SECRET", "v" * 32)
    monkeypatch.setenv("MIGRATE_ON_START", "false")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        url = engine.url.set(query={"options": f"-csearch_path={schema}"})
        monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    clock = Clock()
    client = enrol_seed_client(CareerPlans(EventStore(engine, domain_codec()), clock), clock)

    verified = CliRunner().invoke(main, ["store", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "all readable and contiguous" in verified.output

    exported = CliRunner().invoke(main, ["store", "export", client, "--organisation", "org-a"])
    lines = [json.loads(line) for line in exported.output.splitlines()]
    assert exported.exit_code == 0 and [e["version"] for e in lines] == list(range(1, len(lines) + 1))
    assert lines[0]["type"] == "ClientEnrolled"

    elsewhere = CliRunner().invoke(main, ["store", "export", client, "--organisation", "org-b"])
    assert elsewhere.exit_code == 1 and "was not found" in elsewhere.output
