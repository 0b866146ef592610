"""An idempotency claim left unsettled (a crash, a database gone mid-request) is taken over after a minute
(IDEMPOTENCY_TAKEOVER_S)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from careerplan.bootstrap import bootstrap
from careerplan.settings import load_settings
from services.access.idempotency import CLAIMED, IN_PROGRESS, IdempotentRequests
from services.access.tables import organisations


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def test_an_unsettled_claim_is_taken_over_after_a_minute_not_before(engine):
    clock = Clock()
    requests = IdempotentRequests(engine, clock, wait_seconds=0.1)
    with engine.begin() as conn:  # the organisation the claim belongs to
        conn.execute(organisations.insert().values(id="org-a", name="A", created_at=clock.now))
    assert requests.claim("org-a", "key-1", "fp").outcome == CLAIMED  # then the process dies

    clock.now += timedelta(seconds=59)
    assert requests.claim("org-a", "key-1", "fp").outcome == IN_PROGRESS
    clock.now += timedelta(seconds=2)
    assert requests.claim("org-a", "key-1", "fp").outcome == CLAIMED


def test_the_takeover_setting_reaches_the_claims(engine, monkeypatch):
    monkeypatch.setenv("IDEMPOTENCY_TAKEOVER_S", "10")
    monkeypatch.setenv("API_KEY_SECRET", "takeover-test-secret-0123456789abcdef")
    settings = dataclasses.replace(
        load_settings(secrets_required=False),
        database_url=str(engine.url),
        redis_url=None,
        migrate_on_start=False,
    )
    clock = Clock()
    services = bootstrap(settings, engine=engine, clock=clock)
    with engine.begin() as conn:
        conn.execute(organisations.insert().values(id="org-a", name="A", created_at=clock.now))
    requests = services.tenancy.idempotency
    assert requests.claim("org-a", "key-1", "fp").outcome == CLAIMED  # then the process dies

    clock.now += timedelta(seconds=11)  # a minute by default: then this would wait and refuse
    assert requests.claim("org-a", "key-1", "fp").outcome == CLAIMED
