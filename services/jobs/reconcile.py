"""The reconciler: relayed work whose lease ran out and whose message the broker lost is sent again.

Every relayed outbox row owns its message until a worker marks it done. Once
its lease has expired, the reconciler asks the broker whether it still holds
the message (waiting, delayed for a retry, or taken by a live worker): if so,
the lease is renewed; if not (Redis came back empty, or the worker that took
it was killed), the same message (same id) is enqueued again and `requeues`
counted. Rows are claimed with SKIP LOCKED on PostgreSQL and leased anew in
the same transaction, so two reconcilers at once re-enqueue a message once.
A redelivery is harmless anyway: every actor is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import dramatiq
import sqlalchemy as sa

from services.jobs import outbox
from services.jobs.tables import outbox as outbox_rows

# (queue name, message id, broker reference) of each row -> the message ids the broker still holds
Holding = Callable[[Iterable[tuple[str, str, str | None]]], set[str]]


@dataclass(frozen=True)
class Reconciled:
    """What one pass did: leases renewed (the broker still held the message) and messages re-enqueued."""

    renewed: int
    requeued: int


def reconcile(
    engine: sa.Engine,
    broker: dramatiq.Broker,
    holding: Holding,
    lease_seconds: float = outbox.DEFAULT_LEASE_SECONDS,
    now: datetime | None = None,
    batch_size: int = 500,
) -> Reconciled:
    """Renew or re-enqueue every relayed, unfinished row whose lease expired by `now`."""
    now = now or outbox.now_utc()
    query = (
        sa.select(outbox_rows)
        .where(
            outbox_rows.c.sent_at.is_not(None),
            outbox_rows.c.done_at.is_(None),
            outbox_rows.c.leased_until < now,
        )
        .order_by(outbox_rows.c.id)
        .limit(batch_size)
    )
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    leased_until = now + timedelta(seconds=lease_seconds)
    with engine.begin() as conn:
        rows = conn.execute(query).mappings().all()
        if not rows:
            return Reconciled(0, 0)
        held = holding([(r["queue_name"], r["message_id"], r["broker_ref"]) for r in rows])
        renewed = [r["id"] for r in rows if r["message_id"] in held]
        if renewed:
            conn.execute(
                outbox_rows.update()
                .where(outbox_rows.c.id.in_(renewed))
                .values(leased_until=leased_until)
            )
        lost = [r for r in rows if r["message_id"] not in held]
        for row in lost:
            conn.execute(
                outbox_rows.update()
                .where(outbox_rows.c.id == row["id"])
                .values(
                    leased_until=leased_until,
                    broker_ref=outbox.send(broker, row),
                    requeues=outbox_rows.c.requeues + 1,
                )
            )
    return Reconciled(len(renewed), len(lost))


def pending_stats(conn: sa.Connection, now: datetime | None = None) -> tuple[float, int]:
    """(age in seconds of the oldest unfinished message, 0 when none; re-enqueues ever counted)."""
    oldest, requeues = conn.execute(
        sa.select(
            sa.select(sa.func.min(outbox_rows.c.created_at))
            .where(outbox_rows.c.done_at.is_(None))
            .scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(outbox_rows.c.requeues), 0)).scalar_subquery(),
        )
    ).one()
    if oldest is None:
        return 0.0, int(requeues)
    now = now or outbox.now_utc()
    if oldest.tzinfo is None:  # SQLite keeps no offset; the values are UTC
        now = now.replace(tzinfo=None)
    return max(0.0, (now - oldest).total_seconds()), int(requeues)
