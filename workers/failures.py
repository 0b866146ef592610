"""The Dramatiq middleware that records messages failed past their last retry (see `services.jobs.failures`)."""

from __future__ import annotations

import sqlalchemy as sa
from dramatiq.middleware import Middleware

from services.jobs.failures import record_final_failure


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
        record_final_failure(
            self.engine,
            message.message_id,
            message.queue_name,
            message.actor_name,
            dict(message.kwargs),
            f"{type(exception).__name__}: {exception}",
            message.options.get("retries", 0),
        )
