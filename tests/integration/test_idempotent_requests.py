"""An idempotency claim left unsettled (a crash, a database gone mid-request) is taken over after a minute."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
