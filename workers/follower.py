"""The projection follower: keep every projection (read views, webhook notices) at the head of the feed.

It rides out PostgreSQL restarts and partitions: an outage is logged once
when it starts and once when it ends, attempts back off meanwhile, and the
follower carries on from its checkpoint, so it never exits on its own.
"""

from __future__ import annotations

import threading

import structlog

from workers.outage import Outage, is_outage

log = structlog.get_logger(__name__)


def follow_forever(runner, stop: threading.Event, seconds: float = 1.0, outage: Outage | None = None) -> None:
    """Catch up, then poll every `seconds` until `stop`; failures wait and try again."""
    outage = outage or Outage("projection follower")
    while not stop.is_set():
        try:
            applied = runner.catch_up()
        except Exception as error:  # noqa: BLE001 - the events are safe; the views catch up later
            if not is_outage(error):
                log.error("projection follower failed", error=f"{type(error).__name__}: {error}")
            stop.wait(outage.failed(error))
            continue
        outage.succeeded()
        if not applied:
            stop.wait(seconds)
