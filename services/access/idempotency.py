"""Replayable requests: per organisation, one Idempotency-Key stands for one request and one answer.

The first request with a key claims it (a row whose primary key is the
organisation and the key); a retry with the same fingerprint gets the stored
answer, a different request under the same key is refused. When two first
requests race, the database's primary key picks one winner; the other waits
for the winner's answer and replays it, or gives up after `wait_seconds`. Only
successful answers are kept: a refused request releases its claim, so the
caller can fix the request and retry under the same key. A claim left by a
crashed process, or by a request whose database went away before it could
release the claim (it answered 503), is taken over after `abandon_after`: a
minute by default (IDEMPOTENCY_TAKEOVER_S), twice gunicorn's request
timeout. Taking over the claim of a request that is in fact still running is
safe: its events' ids derive from the key, so the store keeps the command
once either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from eventstore.schema import utc
from services.access.tables import idempotent_requests as table
from services.plans import Clock

CLAIMED, REPLAY, MISMATCH, IN_PROGRESS = "claimed", "replay", "mismatch", "in_progress"


@dataclass(frozen=True)
class StoredResponse:
    """The answer a retry gets back: status, body text and the headers worth repeating."""

    status: int
    body: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Claim:
    """What to do with a request: run it (`claimed`), replay `response`, or refuse it."""

    outcome: str
    response: StoredResponse | None = None


class IdempotentRequests:
    """Claims, answers and releases of idempotency keys, per organisation."""

    def __init__(
        self,
        engine: sa.Engine,
        clock: Clock,
        *,
        wait_seconds: float = 5.0,
        abandon_after: timedelta = timedelta(seconds=60),
        poll_seconds: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._engine = engine
        self._clock = clock
        self._wait = wait_seconds
        self._abandon_after = abandon_after
        self._poll = poll_seconds
        self._sleep = sleep

    def claim(self, organisation_id: str, key: str, fingerprint: str) -> Claim:
        """Claim the key for this request, or say why not (replay, mismatch, still in progress)."""
        where = (table.c.organisation_id == organisation_id, table.c.key == key)
        deadline = time.monotonic() + self._wait
        while True:
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        table.insert().values(
                            organisation_id=organisation_id,
                            key=key,
                            fingerprint=fingerprint,
                            created_at=self._clock(),
                        )
                    )
                return Claim(CLAIMED)
            except sa.exc.IntegrityError:
                pass
            with self._engine.connect() as conn:
                row = conn.execute(sa.select(table).where(*where)).first()
            if row is None:
                continue  # released in between: try to claim again
            if row.fingerprint != fingerprint:
                return Claim(MISMATCH)
            if row.status is not None:
                return Claim(REPLAY, StoredResponse(row.status, row.body, dict(row.headers or {})))
            if self._clock() - utc(row.created_at) > self._abandon_after:
                with self._engine.begin() as conn:
                    conn.execute(
                        table.delete().where(
                            *where, table.c.status.is_(None), table.c.created_at == row.created_at
                        )
                    )
                continue
            if time.monotonic() >= deadline:
                return Claim(IN_PROGRESS)
            self._sleep(self._poll)

    def complete(self, organisation_id: str, key: str, response: StoredResponse) -> None:
        """Keep the answer of the claimed request for its retries."""
        with self._engine.begin() as conn:
            conn.execute(
                table.update()
                .where(
                    table.c.organisation_id == organisation_id,
                    table.c.key == key,
                )
                .values(
                    status=response.status,
                    body=response.body,
                    headers=response.headers,
                    completed_at=self._clock(),
                )
            )

    def release(self, organisation_id: str, key: str) -> None:
        """Give the key back after a refused or failed request: nothing of it is kept."""
        with self._engine.begin() as conn:
            conn.execute(
                table.delete().where(
                    table.c.organisation_id == organisation_id,
                    table.c.key == key,
                    table.c.status.is_(None),
                )
            )
