"""The coach roster on a real database: records, the assignment rule, keys bound to coaches."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.access.api_keys import ApiKeys
from services.access.organisations import Organisations
from services.coaches.assignable import CoachRule
from services.coaches.records import (
    CoachEmailTaken,
    CoachExists,
    CoachInactive,
    CoachNotFound,
    UnknownCoach,
)
from services.coaches.roster import Coaches

SECRET = "integration-secret-0123456789abcdefghij"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def firm(engine):
    """(coaches, keys, organisation id, another organisation's id, clock) on a fresh database."""
    clock = Clock()
    keys = ApiKeys(engine, SECRET, clock)
    organisations = Organisations(engine, keys, clock)
    a, _ = organisations.create("Acme")
    b, _ = organisations.create("Bright")
    return Coaches(engine, clock, keys), keys, a.organisation_id, b.organisation_id, clock


def test_a_coach_is_created_read_paged_and_updated(firm):
    coaches, _, org, other, clock = firm
    maria = coaches.create(org, "  Maria Okafor ", "Maria@Acme.Example")
    named = coaches.create(org, "Ben", coach_id="coach-ben")

    assert (maria.name, maria.email, maria.active) == ("Maria Okafor", "maria@acme.example", True)
    assert coaches.get(org, maria.coach_id) == maria
    with pytest.raises(CoachNotFound):
        coaches.get(other, maria.coach_id)

    first = coaches.page(org, limit=1)
    rest = coaches.page(org, after=first.next_after, limit=1)
    assert [c.coach_id for c in first.items + rest.items] == sorted([maria.coach_id, "coach-ben"])
    assert rest.next_after is None
    assert coaches.page(org, only="coach-ben").items == [named]
    assert coaches.page(other).items == []

    clock.now += timedelta(hours=1)
    updated = coaches.update(org, "coach-ben", active=False, email=None)
    assert (updated.active, updated.email, updated.name) == (False, None, "Ben")
    assert updated.updated_at == clock.now and updated.created_at == named.created_at
    assert [c.coach_id for c in coaches.page(org, active=False).items] == ["coach-ben"]
    assert coaches.page(org, active=True).items == [maria]


def test_ids_and_emails_are_unique_per_organisation(firm):
    coaches, _, org, other, _ = firm
    coaches.create(org, "Ann", "ann@example.com", coach_id="coach-1")
    with pytest.raises(CoachExists):
        coaches.create(org, "Ann again", coach_id="coach-1")
    with pytest.raises(CoachEmailTaken):
        coaches.create(org, "Ann two", "ANN@example.com")
    coaches.create(org, "No email")
    coaches.create(org, "No email either")  # many coaches without an email
    assert coaches.create(other, "Ann", "ann@example.com", coach_id="coach-1").coach_id == "coach-1"
    with pytest.raises(CoachNotFound):
        coaches.update(other, "nobody", name="X")


def test_only_an_active_coach_of_the_organisation_can_be_assigned(engine, firm):
    coaches, _, org, other, _ = firm
    coaches.create(org, "Ann", coach_id="coach-1")
    coaches.create(org, "Bo", coach_id="coach-2")
    coaches.update(org, "coach-2", active=False)
    rule = CoachRule(engine)

    rule(org, "coach-1")
    with pytest.raises(UnknownCoach) as unknown:
        rule(org, "coach-9", "new_coach")
    assert unknown.value.field == "new_coach" and unknown.value.code == "coach_not_found"
    with pytest.raises(UnknownCoach):
        rule(other, "coach-1")
    with pytest.raises(CoachInactive):
        rule(org, "coach-2")


def test_coach_keys_need_an_active_coach_and_deactivation_revokes_them(firm):
    coaches, keys, org, other, _ = firm
    coaches.create(org, "Ann", coach_id="coach-1")
    with pytest.raises(UnknownCoach):
        keys.issue(org, "coach", "coach-9")
    with pytest.raises(UnknownCoach):
        keys.issue(other, "coach", "coach-1")
    first = keys.issue(org, "coach", "coach-1")
    second = keys.issue(org, "coach", "coach-1")
    assert keys.authenticate(first.key).coach_id == "coach-1"

    coaches.update(org, "coach-1", active=False)
    assert keys.authenticate(first.key) is None and keys.authenticate(second.key) is None
    with pytest.raises(CoachInactive):
        keys.issue(org, "coach", "coach-1")
    coaches.update(org, "coach-1", active=True)
    assert keys.authenticate(first.key) is None  # reactivating brings no key back
    assert keys.authenticate(keys.issue(org, "coach", "coach-1").key).coach_id == "coach-1"
