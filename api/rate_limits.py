"""Per-key rate limits: a caller that sends too much gets a 429 problem with Retry-After.

Counted per API key (a hash of it, never the key itself), or per address for
requests without one, in Redis when the service has it (shared by every
gunicorn worker and machine) or in process memory on the embedded default.
Only /v1 is limited; probes, metrics and the docs are not. If Redis is
unreachable, requests are let through rather than refused.
"""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter


def caller_key() -> str:
    """Whom a request is counted against: its bearer key's hash, else its address."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "unknown")


def install(app: Flask, settings) -> Limiter:
    """Limit /v1 requests to `settings.rate_limit` per key."""
    return Limiter(
        key_func=caller_key,
        app=app,
        default_limits=[settings.rate_limit],
        default_limits_exempt_when=lambda: not request.path.startswith("/v1/"),
        storage_uri=settings.redis_url or "memory://",
        storage_options={"key_prefix": f"{settings.redis_namespace}:ratelimit"},  # keys in our namespace
        # Two counters per key (this window and the last, weighted): constant work per
        # request whatever the limit, where a moving window keeps every hit's time.
        strategy="sliding-window-counter",
        headers_enabled=True,
        swallow_errors=True,
    )
