"""The projection follower: keep every projection (read views, webhook notices) at the head of the feed.

It rides out PostgreSQL restarts and partitions: an outage is logged once
when it starts and once when it ends, attempts back off meanwhile, and the
follower carries on from its checkpoint, so it never exits on its own.
"""

from __future__ import annotations

import threading

from workers.outage import Outage, work_until


def follow_forever(
    runner, stop: threading.Event, seconds: float = 1.0, outage: Outage | None = None
) -> None:
    """Catch up, then poll every `seconds` until `stop`; failures wait and try again."""
    work_until(stop, runner.catch_up, outage or Outage("projection follower"), seconds)
