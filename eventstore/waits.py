"""How long a PostgreSQL connection may wait, on each kind of wait, and the connect arguments that say so.

A database that stops answering must cost a caller seconds, not hang it:
connecting gives up after `connect_timeout_s`; TCP keepalives find a peer that
vanished while a connection sat idle; the server ends a statement that runs
longer than `statement_timeout_ms` or waits on a lock longer than
`lock_timeout_ms` (both answered as an OperationalError: 503 in the API); a
caller waits at most `pool_timeout_s` for a free connection; sent bytes left
unacknowledged for a minute end the connection (tcp_user_timeout). A peer
that acknowledges but never answers (a stuck proxy, a frozen server) is
beyond all of these: within a request, `eventstore.deadline` cuts those.
"""

from __future__ import annotations

from dataclasses import dataclass

# libpq keepalives: probe after this long idle, then every interval, give up after count misses.
KEEPALIVES_IDLE_S = 30
KEEPALIVES_INTERVAL_S = 10
KEEPALIVES_COUNT = 3
# Sent bytes unacknowledged this long (a network dropping packets mid-statement): the connection is
# dead. Covers the processes outside a request's deadline (workers, scheduler, follower).
TCP_USER_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class Waits:
    """The bounds every PostgreSQL engine gets (careerplan.settings reads them from the environment)."""

    connect_timeout_s: int = 5
    statement_timeout_ms: int = 30_000
    lock_timeout_ms: int = 5_000
    pool_timeout_s: float = 5.0

    def connect_args(self, given: dict | None = None) -> dict:
        """libpq parameters for these waits, merged with `given` (which wins, except `options`: joined)."""
        given = dict(given or {})
        options = f"-c statement_timeout={self.statement_timeout_ms} -c lock_timeout={self.lock_timeout_ms}"
        if given.get("options"):
            options = f"{options} {given.pop('options')}"  # later -c wins: the caller's own say
        return {
            "connect_timeout": self.connect_timeout_s,
            "keepalives": 1,
            "keepalives_idle": KEEPALIVES_IDLE_S,
            "keepalives_interval": KEEPALIVES_INTERVAL_S,
            "keepalives_count": KEEPALIVES_COUNT,
            "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
            "options": options,
            **given,
        }


DEFAULT_WAITS = Waits()
