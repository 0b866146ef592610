"""A deadline on every database wait of one unit of work (an API request): cut what is still waiting.

Server-side timeouts end a slow statement and keepalives end an idle
connection whose peer vanished, but when the server, or the network to it,
goes silent mid-statement ("black-holed": the connection stays open, no byte
comes back), the driver waits on its socket for as long as TCP lets it:
minutes. Within `deadline(seconds)`, every PostgreSQL connection this thread
takes from (or opens for) a pool is watched; when the time is up, a watchdog
thread shuts its socket down, so the driver fails at once with an
OperationalError, the pool discards the connection, and the caller answers
(503) instead of hanging. A connection opened after the deadline passed
fails at once; one opened before it gets at most the time left to connect.
`watch(engine)` installs the pool listeners (`make_engine` does, for PostgreSQL).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import socket
import threading
import time
from collections.abc import Iterator

import psycopg
import sqlalchemy as sa

MIN_CONNECT_TIMEOUT_S = 2  # libpq's (and psycopg's) smallest connect_timeout


class Deadline:
    """When one unit of work must be done by, and the connections it is waiting on."""

    def __init__(self, expires_at: float):
        self.expires_at = expires_at
        self._connections: set = set()
        self._lock = threading.Lock()
        self.expired = False
        self.finished = False

    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    def track(self, dbapi_connection) -> None:
        with self._lock:
            if not self.finished:
                self._connections.add(dbapi_connection)
            cut_now = self.expired
        if cut_now:
            _cut(dbapi_connection)

    def untrack(self, dbapi_connection) -> None:
        with self._lock:
            self._connections.discard(dbapi_connection)

    def expire(self) -> None:
        """Cut every connection still in use (under the lock: none is returned meanwhile)."""
        with self._lock:
            if self.finished:
                return
            self.expired = True
            for dbapi_connection in self._connections:
                _cut(dbapi_connection)

    def finish(self) -> None:
        with self._lock:
            self.finished = True
            self._connections.clear()


def _cut(dbapi_connection) -> None:
    """Shut the connection's socket down (not close: the driver still owns the descriptor)."""
    try:
        descriptor = dbapi_connection.pgconn.socket
    except (AttributeError, psycopg.Error):
        return  # not psycopg, or already closed: nothing is waiting on it
    sock = socket.socket(fileno=descriptor)
    try:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    finally:
        sock.detach()


class _Watchdog:
    """One daemon thread expiring deadlines in time order."""

    def __init__(self):
        self._due: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> None:
        with self._wake:
            heapq.heappush(self._due, (deadline.expires_at, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-deadlines", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due:
                    self._wake.wait()
                expires_at, _, deadline = self._due[0]
                wait = expires_at - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._due)
            deadline.expire()


_watchdog = _Watchdog()
_local = threading.local()


def current() -> Deadline | None:
    """The deadline of the work this thread is doing, if any."""
    return getattr(_local, "deadline", None)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Bound every database wait of this thread within the block to `seconds` from now (or less, nested)."""
    outer = current()
    expires_at = time.monotonic() + seconds
    if outer is not None:
        expires_at = min(expires_at, outer.expires_at)
    this = Deadline(expires_at)
    _watchdog.add(this)
    _local.deadline = this
    try:
        yield this
    finally:
        this.finish()
        _local.deadline = outer


def watch(engine: sa.Engine) -> None:
    """Track the connections each thread uses under its deadline (listeners on the pool: copies share them)."""

    def taken(dbapi_connection, record, *_proxy) -> None:
        if (active := current()) is not None:
            record.info["deadline"] = (active, dbapi_connection)
            active.track(dbapi_connection)

    def given_back(dbapi_connection, record, *_rest) -> None:
        if held := record.info.pop("deadline", None):
            active, tracked = held
            active.untrack(tracked)

    def connecting(_dialect, _record, _cargs, cparams) -> None:
        if (active := current()) is None:
            return
        left = active.remaining()
        if left <= 0:
            raise psycopg.OperationalError("the request's time for the database is spent")
        configured = int(cparams.get("connect_timeout") or 0) or math.inf
        cparams["connect_timeout"] = max(MIN_CONNECT_TIMEOUT_S, min(configured, math.ceil(left)))

    sa.event.listen(engine, "do_connect", connecting)
    sa.event.listen(engine, "connect", taken, insert=True)
    sa.event.listen(engine, "checkout", taken, insert=True)
    for returned in ("checkin", "invalidate", "close", "detach"):
        sa.event.listen(engine, returned, given_back)
