"""One log line when a dependency of request handling goes away, and one when it is back.

A request that meets Redis down (the rate limiter's counter) carries on
without it; logging that per request would write a line for every request
of the outage. The note is shared by the process's threads.
"""

from __future__ import annotations

import logging
import threading
import time


class OutageNote:
    """Whether `what` is down, logged on the change only: down once, back once."""

    def __init__(self, what: str, log: logging.Logger):
        self.what = what
        self._log = log
        self._lock = threading.Lock()
        self._since: float | None = None
        self._missed = 0

    def failed(self, error: object) -> None:
        """A request went without `what`; logs only the first of an outage."""
        with self._lock:
            self._missed += 1
            if self._since is not None:
                return
            self._since = time.monotonic()
        self._log.warning(
            "dependency unavailable", extra={"during": self.what, "error": str(error)}
        )

    def succeeded(self) -> None:
        """`what` answered; logs the end of the outage if there was one."""
        if self._since is None:  # the common case, without the lock
            return
        with self._lock:
            if self._since is None:
                return
            down, missed = time.monotonic() - self._since, self._missed
            self._since, self._missed = None, 0
        self._log.warning(
            "dependency available again",
            extra={"during": self.what, "requests_without": missed, "down_seconds": round(down, 1)},
        )
