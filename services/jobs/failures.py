"""Jobs that failed past their last retry: kept for operators, and put back into the outbox on request."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from services.jobs import outbox
from services.jobs.tables import failed_jobs


def record_final_failure(
    engine: sa.Engine,
    message_id: str,
    queue_name: str,
    actor_name: str,
    kwargs: dict[str, Any],
    error: str,
    retries: int,
) -> None:
    """Keep (or replace) the record of a message that will not be retried again."""
    with engine.begin() as conn:
        conn.execute(sa.delete(failed_jobs).where(failed_jobs.c.message_id == message_id))
        conn.execute(
            failed_jobs.insert().values(
                message_id=message_id,
                queue_name=queue_name,
                actor_name=actor_name,
                kwargs=kwargs,
                error=error,
                retries=retries,
            )
        )


def redrive(engine: sa.Engine, message_id: str | None = None) -> int:
    """Put failed jobs (one, or all not yet re-driven) back into the outbox; the number re-driven."""
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
