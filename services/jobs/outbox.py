"""The transactional outbox: work is recorded with the change that causes it, then relayed.

Writing the message in the same database transaction as the state change
means a crash or a lost Redis cannot lose it: an unsent row is simply sent
on the next relay pass. Sending is at-least-once (a relay can die after the
broker took a message and before the row is marked), so actors are idempotent.
"""

from __future__ import annotations

import uuid
from typing import Any

import dramatiq
import sqlalchemy as sa

from services.jobs.tables import outbox


def record(conn: sa.Connection, actor_name: str, queue_name: str = "default", **kwargs: Any) -> str:
    """Add a message to the outbox inside the caller's transaction; returns its message id."""
    message_id = str(uuid.uuid4())
    conn.execute(
        outbox.insert().values(
            message_id=message_id, queue_name=queue_name, actor_name=actor_name, kwargs=kwargs
        )
    )
    return message_id


def relay(engine: sa.Engine, broker: dramatiq.Broker, batch_size: int = 200) -> int:
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
        for row in rows:
            broker.enqueue(
                dramatiq.Message(
                    queue_name=row["queue_name"],
                    actor_name=row["actor_name"],
                    args=(),
                    kwargs=row["kwargs"],
                    options={},
                    message_id=row["message_id"],
                )
            )
        if rows:
            conn.execute(
                outbox.update()
                .where(outbox.c.id.in_([r["id"] for r in rows]))
                .values(sent_at=sa.func.now())
            )
    return len(rows)


def unsent(engine: sa.Engine) -> int:
    """How many messages wait in the outbox (a gauge for operators)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
        ).scalar_one()
