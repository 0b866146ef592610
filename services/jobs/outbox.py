"""The transactional outbox: work is recorded with the change that causes it, then relayed.

Writing the message in the same database transaction as the state change
means a crash or a lost Redis cannot lose it: an unsent row is simply sent
on the next relay pass. Sending is at-least-once (a relay can die after the
broker took a message and before the row is marked), so actors are idempotent.

A relayed row keeps owning its message: it is leased for `lease_seconds`
and marked done when a worker finishes it (`mark_done`); the reconciler
(`services.jobs.reconcile`) sends again what the broker lost.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import dramatiq
import sqlalchemy as sa

from services.jobs.tables import outbox

DEFAULT_LEASE_SECONDS = 60


def record(conn: sa.Connection, actor_name: str, queue_name: str = "default", **kwargs: Any) -> str:
    """Add a message to the outbox inside the caller's transaction; returns its message id."""
    message_id = str(uuid.uuid4())
    conn.execute(outbox.insert().values(_row(message_id, actor_name, queue_name, kwargs)))
    return message_id


def _row(message_id: str, actor_name: str, queue_name: str, kwargs: dict[str, Any]) -> dict:
    """An outbox row. A `slot` argument is kept in its own (indexed) column too, so a sweep's
    messages are found without reading every message; a message naming `client_ids` carries
    one item (a client's check) per client, any other one item."""
    return {
        "message_id": message_id,
        "queue_name": queue_name,
        "actor_name": actor_name,
        "kwargs": kwargs,
        "slot": kwargs.get("slot"),
        "items": len(kwargs["client_ids"]) if "client_ids" in kwargs else 1,
    }


def queued(conn: sa.Connection, actor_name: str, **kwargs: str) -> bool:
    """True when a message of `actor_name` with these arguments is in the outbox (sent or not)."""
    query = sa.select(outbox.c.id).where(outbox.c.actor_name == actor_name)
    for name, value in kwargs.items():
        column = outbox.c.slot if name == "slot" else outbox.c.kwargs[name].as_string()
        query = query.where(column == value)
    return conn.execute(query.limit(1)).first() is not None


def record_each(
    conn: sa.Connection,
    actor_name: str,
    queue_name: str,
    whom: list[tuple[str, str]],
    **kwargs: Any,
) -> int:
    """One message per (organisation, client) of `whom`, each with `kwargs`; the number recorded."""
    for organisation_id, client_id in whom:
        record(
            conn,
            actor_name,
            queue_name,
            organisation_id=organisation_id,
            client_id=client_id,
            **kwargs,
        )
    return len(whom)


def record_chunks(
    conn: sa.Connection,
    actor_name: str,
    queue_name: str,
    whom: list[tuple[str, str]],
    chunk: int,
    **kwargs: Any,
) -> int:
    """One message per organisation's chunk of up to `chunk` clients of `whom` (sorted by
    organisation), as `organisation_id` and `client_ids` with `kwargs`, in one statement;
    the number of clients recorded."""
    rows, start = [], 0
    while start < len(whom):
        organisation_id = whom[start][0]
        end = start
        while end < len(whom) and end - start < chunk and whom[end][0] == organisation_id:
            end += 1
        arguments = {
            "organisation_id": organisation_id,
            "client_ids": [client for _, client in whom[start:end]],
            **kwargs,
        }
        rows.append(_row(str(uuid.uuid4()), actor_name, queue_name, arguments))
        start = end
    if rows:
        conn.execute(outbox.insert(), rows)
    return len(whom)


def relay(
    engine: sa.Engine,
    broker: dramatiq.Broker,
    batch_size: int = 200,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
) -> int:
    """Send unsent outbox messages to the broker; the number sent.

    Rows are claimed with SKIP LOCKED on PostgreSQL, so several relays (one per
    worker process and the scheduler) never send the same row at once. If the
    broker is unreachable the transaction rolls back and the rows wait.
    """
    query = (
        sa.select(outbox).where(outbox.c.sent_at.is_(None)).order_by(outbox.c.id).limit(batch_size)
    )
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    with engine.begin() as conn:
        rows = conn.execute(query).mappings().all()
        refs = {row["id"]: send(broker, row) for row in rows}
        leased_until = now_utc() + timedelta(seconds=lease_seconds)
        for row_id, ref in refs.items():
            conn.execute(
                outbox.update()
                .where(outbox.c.id == row_id)
                .values(sent_at=sa.func.now(), leased_until=leased_until, broker_ref=ref)
            )
    return len(rows)


def send(broker: dramatiq.Broker, row) -> str | None:
    """Enqueue the outbox row's message under its own id; the broker's reference of the copy sent."""
    sent = broker.enqueue(
        dramatiq.Message(
            queue_name=row["queue_name"],
            actor_name=row["actor_name"],
            args=(),
            kwargs=row["kwargs"],
            options={},
            message_id=row["message_id"],
        )
    )
    return sent.options.get("redis_message_id")


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def mark_done(engine: sa.Engine, message_id: str) -> None:
    """The message is finished (or failed for good): its row no longer needs to be re-driven."""
    with engine.begin() as conn:
        conn.execute(
            outbox.update()
            .where(outbox.c.message_id == message_id, outbox.c.done_at.is_(None))
            .values(done_at=sa.func.now())
        )


def resent(engine: sa.Engine, message_id: str, broker_ref: str | None) -> None:
    """A worker enqueued a new copy of the message (a retry): remember the broker's reference of it."""
    with engine.begin() as conn:
        conn.execute(
            outbox.update()
            .where(outbox.c.message_id == message_id, outbox.c.done_at.is_(None))
            .values(broker_ref=broker_ref)
        )


def unsent(engine: sa.Engine) -> int:
    """How many messages wait in the outbox (a gauge for operators)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
        ).scalar_one()
