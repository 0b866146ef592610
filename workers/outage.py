"""Riding out a dependency's outage: back off, and log once when it starts and once when it ends.

The long-running processes (projection follower, worker's outbox relay,
scheduler) meet PostgreSQL restarts, network partitions and Redis restarts.
None of them may exit or fill the log with a line per attempt: each keeps an
`Outage` per loop, waits longer between attempts while it lasts, and carries
on where it stopped once the dependency answers again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import redis.exceptions
import sqlalchemy as sa
import structlog

FIRST_WAIT, LONGEST_WAIT = (
    0.5,
    30.0,
)  # seconds between attempts: doubling from the first to the longest


def is_outage(error: BaseException) -> bool:
    """True for a dependency that cannot be reached (or dropped the connection), not for a bug."""
    if isinstance(
        error, (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError)
    ):
        return True
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(
        error, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
    )


class Outage:
    """The state of one loop's dependency: up, or down since when and how many attempts ago."""

    def __init__(self, what: str, logger=None, clock: Callable[[], float] = time.monotonic):
        self.what = what
        self._log = logger or structlog.get_logger("careerplan.outage")
        self._clock = clock
        self.since: float | None = None
        self.attempts = 0

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> float:
        """Note a failed attempt (logged only the first time); the seconds to wait before the next."""
        if self.since is None:
            self.since = self._clock()
            self._log.warning(
                "dependency unavailable", during=self.what, error=f"{type(error).__name__}: {error}"
            )
        wait = min(LONGEST_WAIT, FIRST_WAIT * 2 ** min(self.attempts, 16))
        self.attempts += 1
        return wait

    def succeeded(self) -> None:
        """Note a working attempt; logs the end of the outage if there was one."""
        if self.since is None:
            return
        self._log.warning(
            "dependency available again",
            during=self.what,
            attempts=self.attempts,
            down_seconds=round(self._clock() - self.since, 1),
        )
        self.since, self.attempts = None, 0


def work_until(
    stop: threading.Event, work: Callable[[], int], outage: Outage, idle_seconds: float
) -> None:
    """Call `work` until `stop`; wait `idle_seconds` when it did nothing, and back off while it fails.

    A failure that is not an outage (a bug) is logged every time, so it is
    seen; the loop never exits on its own.
    """
    while not stop.is_set():
        try:
            done = work()
        except Exception as error:  # noqa: BLE001 - nothing is lost: the work waits where it was
            if not is_outage(error):
                structlog.get_logger("careerplan.outage").error(
                    "background work failed",
                    during=outage.what,
                    error=f"{type(error).__name__}: {error}",
                )
            stop.wait(outage.failed(error))
            continue
        outage.succeeded()
        if not done:
            stop.wait(idle_seconds)
