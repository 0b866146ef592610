"""Per-key rate limits: a caller that sends too much gets a 429 problem with Retry-After.

Counted per API key (a hash of it, never the key itself), or per address for
requests without one (and calendar feeds, which need none), in Redis when the service has it (shared by every
gunicorn worker and machine) or in process memory on the embedded default.
Only /v1 is limited; probes, metrics and the docs are not. If Redis is
unreachable, requests are let through rather than refused, and the outage is
logged once when it starts and once when it ends (not once per request).

The `limits` library does the counting; its Flask extension is not used: on
every request it resolves decorators, exemptions and per-route limits this API
does not have, which cost more than the count itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import threading
import time

from flask import Flask, request
from limits import parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from api.authentication import is_public
from api.outage_note import OutageNote
from api.problems import Problem

LIMITED_PREFIX = "/v1/"
REDIS_WAIT_S = 0.5  # the most a request waits for its count (REDIS_SOCKET_TIMEOUT_S if shorter)
log = logging.getLogger(__name__)


def caller_key() -> str:
    """Whom a request is counted against: its bearer key's hash, else (and on a feed) its address."""
    if is_public():  # a calendar feed ignores any key sent: count it where it comes from
        return "addr:" + (request.remote_addr or "unknown")
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "unknown")


def install(app: Flask, settings) -> None:
    """Limit /v1 requests to `settings.rate_limit` per key."""
    if settings.redis_url:
        # Keys in our namespace; a Redis that stops answering costs a request half a second, not a hang.
        storage = storage_from_string(
            settings.redis_url,
            key_prefix=f"{settings.redis_namespace}:ratelimit",
            wrap_exceptions=True,
            socket_timeout=min(REDIS_WAIT_S, settings.redis_socket_timeout_s),
            socket_connect_timeout=min(REDIS_WAIT_S, settings.redis_socket_timeout_s),
        )
    else:
        storage = storage_from_string("memory://")
    # The in-memory storage is not safe for threads (two gthread threads can start its expiry
    # timer twice: RuntimeError); counting under a lock costs nothing next to a request.
    counting = threading.Lock() if not settings.redis_url else contextlib.nullcontext()
    # Two counters per key (this window and the last, weighted): constant work per
    # request whatever the limit, where a moving window keeps every hit's time.
    limiter = SlidingWindowCounterRateLimiter(storage)
    limit = parse(settings.rate_limit)
    outage = OutageNote("rate limiting", log)

    def check_rate_limit() -> None:
        if not request.path.startswith(LIMITED_PREFIX):
            return
        caller = caller_key()
        try:
            with counting:
                allowed = limiter.hit(limit, caller)
                reset_at = None if allowed else limiter.get_window_stats(limit, caller).reset_time
        except StorageError as error:  # the count is unavailable: serve rather than refuse
            outage.failed(error.storage_error)
            return
        outage.succeeded()
        if reset_at is None:
            return
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise Problem(
            429,
            "rate_limited",
            f"more than {limit} requests from this key; retry after {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )

    app.before_request(check_rate_limit)
