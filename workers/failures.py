"""Record messages that failed past their last retry, so operators can see and re-drive them."""

from __future__ import annotations

import sqlalchemy as sa
from dramatiq.middleware import Middleware

from workers.tables import failed_jobs


class RecordFinalFailures(Middleware):
    """After the Retries middleware gives up on a message, keep it in `failed_jobs`.

    Dramatiq also parks such messages in the broker's dead-letter queue, but
    that expires and is invisible to the API; this table is the durable record.
    Place it before Retries in the middleware list (after-hooks run in reverse).
    """

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is None or not message.failed:
            return
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(failed_jobs).where(failed_jobs.c.message_id == message.message_id)
            )
            conn.execute(
                failed_jobs.insert().values(
                    message_id=message.message_id,
                    queue_name=message.queue_name,
                    actor_name=message.actor_name,
                    kwargs=dict(message.kwargs),
                    error=f"{type(exception).__name__}: {exception}",
                    retries=message.options.get("retries", 0),
                )
            )


def redrive(engine: sa.Engine, message_id: str | None = None) -> int:
    """Put failed jobs (one, or all not yet re-driven) back into the outbox; the number re-driven."""
    from workers import outbox

    query = sa.select(failed_jobs).where(failed_jobs.c.redriven_at.is_(None))
    if message_id is not None:
        query = query.where(failed_jobs.c.message_id == message_id)
    with engine.begin() as conn:
        rows = conn.execute(query).mappings().all()
        for row in rows:
            outbox.record(conn, row["actor_name"], row["queue_name"], **row["kwargs"])
        conn.execute(
            failed_jobs.update()
            .where(failed_jobs.c.message_id.in_([r["message_id"] for r in rows]))
            .values(redriven_at=sa.func.now())
        )
    return len(rows)
