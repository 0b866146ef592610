"""An event's recorded actor as a person, on a real database: coaches by name, keys by label."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.access.api_keys import ApiKeys
from services.access.organisations import Organisations
from services.coaches.actors import describe_actors, with_actors, with_actors_streamed
from services.coaches.roster import Coaches

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def firm(engine):
    """(coaches, keys, organisation id, another organisation's id) on a fresh database."""
    keys = ApiKeys(engine, "integration-secret-0123456789abcdefghij", lambda: NOW)
    organisations = Organisations(engine, keys, lambda: NOW)
    a, _ = organisations.create("Acme")
    b, _ = organisations.create("Bright")
    return Coaches(engine, lambda: NOW, keys), keys, a.organisation_id, b.organisation_id


def test_actors_read_as_people_in_one_query_per_organisation(engine, firm):
    coaches, keys, org, other = firm
    coaches.create(org, "Maria Okafor", coach_id="coach-1")
    coach_key = keys.issue(org, "coach", "coach-1").api_key
    admin_key = next(k for k in keys.list(org) if k.role == "admin")
    auditor_key = keys.issue(org, "auditor").api_key
    other_admin = keys.list(other)[0]
    actors = [
        f"key:{coach_key.key_id}",
        f"key:{admin_key.key_id}",
        f"key:{auditor_key.key_id}",
        f"key:{other_admin.key_id}",
        "scheduler",
        "demo",
        None,
    ]

    described = describe_actors(engine, org, actors)

    assert described[actors[0]] == {
        "kind": "coach",
        "id": "coach-1",
        "name": "Maria Okafor",
        "key_id": coach_key.key_id,
    }
    assert described[actors[1]] == {
        "kind": "admin",
        "key_id": admin_key.key_id,
        "label": admin_key.prefix,
    }
    assert described[actors[2]]["kind"] == "auditor"
    # Another organisation's key is not described from this one.
    assert described[actors[3]] == {
        "kind": "system",
        "name": actors[3],
        "key_id": other_admin.key_id,
    }
    assert described["scheduler"] == {"kind": "scheduler"}
    assert described["demo"] == {"kind": "system", "name": "demo"}
    assert described[None] == {"kind": "system", "name": None}

    records = [
        {"version": n, "metadata": {"organisation_id": org, "actor": actor}}
        for n, actor in enumerate(actors[:3] * 3)
    ]
    added = with_actors(engine, records)
    assert [r["actor"]["kind"] for r in added] == ["coach", "admin", "auditor"] * 3
    assert [r["version"] for r in added] == list(range(9))
    assert list(with_actors_streamed(engine, iter(records), batch=2)) == added
