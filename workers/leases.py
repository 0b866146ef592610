"""The Dramatiq middleware that tells the outbox when a relayed message is finished.

A message whose actor returned, or that failed past its last retry (it is in
`failed_jobs` then, re-driven only by an operator), is marked done; a retry
(enqueued with a delay, then moved to its queue when due) records the
broker's reference of each new copy, so the reconciler sees the broker still
holds it. Actor code stays untouched; messages with no outbox row match no row.
"""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa
from dramatiq.middleware import Middleware

from services.jobs import outbox

log = logging.getLogger(__name__)
_running: set[str] = set()  # ids of the messages this process runs now
_lock = threading.Lock()


def running() -> set[str]:
    """The ids of the messages being run in this process now (the stub broker cannot tell)."""
    with _lock:
        return set(_running)


class OutboxLeases(Middleware):
    """Mark outbox rows done after their message ran; place it before Retries (after-hooks run in reverse)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def before_process_message(self, broker, message):
        with _lock:
            _running.add(message.message_id)

    def after_process_message(self, broker, message, *, result=None, exception=None):
        with _lock:
            _running.discard(message.message_id)
        if exception is None or message.failed:
            self._safely(outbox.mark_done, message.message_id)

    def after_skip_message(self, broker, message):
        self._safely(outbox.mark_done, message.message_id)

    def after_enqueue(self, broker, message, delay):
        # A retry (delayed), or a due retry moved from the delay queue (it carries "retries"):
        # a new copy in Redis. The relay and the reconciler send neither, so they skip this.
        if delay is not None or message.options.get("retries"):
            self._safely(outbox.resent, message.message_id, message.options.get("redis_message_id"))

    def _safely(self, record, *args) -> None:
        try:
            record(self.engine, *args)
        except sa.exc.SQLAlchemyError as error:  # the reconciler re-drives it: harmless, logged
            log.warning("outbox lease not updated for %s: %s", args[0], error)
