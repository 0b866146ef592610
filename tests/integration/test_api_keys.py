"""Organisations and API keys on a real database: HMAC storage, authentication, rotation, revocation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from careerplan.settings import Settings, SettingsError, load_settings
from services.access.api_keys import ApiKeys, InvalidKeyRole, KeyNotFound, KeyRevoked, LastAdminKey
from services.access.organisations import Organisations
from services.access.tables import api_keys
from services.coaches.roster import Coaches

SECRET = "integration-secret-0123456789abcdefghij"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def keys(engine, clock) -> ApiKeys:
    return ApiKeys(engine, SECRET, clock)


@pytest.fixture
def organisations(engine, keys, clock) -> Organisations:
    return Organisations(engine, keys, clock)


@pytest.fixture
def coaches(engine, keys, clock) -> Coaches:
    return Coaches(engine, clock, keys)


def test_a_key_is_stored_only_as_its_hmac(engine, organisations, keys):
    organisation, issued = organisations.create("Acme Coaching")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(api_keys)).one()

    assert issued.key.startswith("cp_") and len(issued.key) > 40
    assert issued.key not in stored and stored.key_hash == keys.digest(issued.key) != issued.key
    assert stored.prefix == issued.key[:10] and stored.role == "admin"
    assert (
        ApiKeys(engine, "another-secret-0123456789abcdefghijkl", Clock()).authenticate(issued.key)
        is None
    )


def test_authentication_names_the_caller_and_notes_use_once_a_minute(
    organisations, keys, coaches, clock
):
    organisation, admin = organisations.create("Acme")
    coaches.create(organisation.organisation_id, "Ann", coach_id="coach-1")
    coach = keys.issue(organisation.organisation_id, "coach", "coach-1")

    caller = keys.authenticate(coach.key)
    assert (caller.organisation_id, caller.role, caller.coach_id) == (
        organisation.organisation_id,
        "coach",
        "coach-1",
    )
    first_use = keys.get(organisation.organisation_id, coach.api_key.key_id).last_used_at
    clock.now += timedelta(seconds=30)
    keys.authenticate(coach.key)
    assert keys.get(organisation.organisation_id, coach.api_key.key_id).last_used_at == first_use
    clock.now += timedelta(seconds=31)
    keys.authenticate(coach.key)
    assert keys.get(organisation.organisation_id, coach.api_key.key_id).last_used_at == clock.now
    assert keys.authenticate("cp_" + "x" * 43) is None and keys.authenticate("nonsense") is None


def test_rotation_revokes_the_old_key_and_keeps_role_and_coach(organisations, keys, coaches):
    organisation, _ = organisations.create("Acme")
    org = organisation.organisation_id
    coaches.create(org, "Ann", coach_id="coach-1")
    coach = keys.issue(org, "coach", "coach-1")

    rotated = keys.rotate(org, coach.api_key.key_id)

    assert keys.authenticate(coach.key) is None
    assert keys.authenticate(rotated.key).coach_id == "coach-1"
    with pytest.raises(KeyRevoked):
        keys.rotate(org, coach.api_key.key_id)
    assert [k.key_id for k in keys.list(org) if k.role == "coach"] == [rotated.api_key.key_id]
    assert len(keys.list(org, include_revoked=True)) == 3


def test_keys_of_another_organisation_are_not_found(organisations, keys):
    a, a_admin = organisations.create("A")
    b, _ = organisations.create("B")
    with pytest.raises(KeyNotFound):
        keys.revoke(b.organisation_id, a_admin.api_key.key_id)
    with pytest.raises(KeyNotFound):
        keys.rotate(b.organisation_id, a_admin.api_key.key_id)
    assert keys.authenticate(a_admin.key) is not None


def test_roles_and_the_last_admin_key(organisations, keys):
    organisation, admin = organisations.create("Acme")
    org = organisation.organisation_id
    with pytest.raises(InvalidKeyRole):
        keys.issue(org, "coach")
    with pytest.raises(InvalidKeyRole):
        keys.issue(org, "auditor", "coach-1")
    with pytest.raises(LastAdminKey):
        keys.revoke(org, admin.api_key.key_id)

    second = keys.issue(org, "admin")
    assert keys.revoke(org, admin.api_key.key_id).revoked_at is not None
    assert keys.authenticate(second.key).role == "admin"


def test_the_secret_is_required_outside_the_embedded_default(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/careerplan")
    monkeypatch.delenv("API_KEY_SECRET", raising=False)
    with pytest.raises(SettingsError, match="API_KEY_SECRET"):
        load_settings()
    monkeypatch.setenv("API_KEY_SECRET", "too-short")
    with pytest.raises(SettingsError, match="API_KEY_SECRET"):
        load_settings()
    monkeypatch.setenv("API_KEY_SECRET", SECRET)
    assert load_settings().key_secret == SECRET
    with pytest.raises(SettingsError, match="API_KEY_SECRET"):
        Settings(database_url="postgresql://db.example/careerplan").key_secret
    assert Settings().key_secret  # the embedded SQLite default has one
