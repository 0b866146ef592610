"""Readiness: whether PostgreSQL and Redis answer, each within a short budget, for load balancers.

A check runs on a small pool of its own threads and is given up after its
budget even when the dependency never answers (a black-holed database), so
a readiness probe answers in about a second whatever happens underneath; a
check left running is itself cut by its deadline (the database) or its
socket timeout (Redis), so they cannot pile up.
"""

from __future__ import annotations

import concurrent.futures
import threading

import redis
import sqlalchemy as sa

from eventstore.deadline import deadline

CHECK_BUDGET_S = 1.0
_checks = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")
_redis_clients: dict[str, redis.Redis] = {}
_redis_lock = threading.Lock()


def _within(seconds: float, check) -> str | None:
    """None when `check()` returns in time; else the error's name, or "Timeout"."""
    try:
        _checks.submit(check).result(timeout=seconds)
    except concurrent.futures.TimeoutError:
        return "Timeout"
    except Exception as error:  # noqa: BLE001 - any failure means not ready; named, not raised
        return type(error).__name__
    return None


def database_problem(engine: sa.Engine, seconds: float = CHECK_BUDGET_S) -> str | None:
    """None when the database answers a trivial query within `seconds`; else what went wrong."""

    def select_one() -> None:
        with deadline(seconds), engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    return _within(seconds, select_one)


def redis_problem(url: str, seconds: float = CHECK_BUDGET_S) -> str | None:
    """None when Redis answers PING within `seconds`; else what went wrong."""
    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(
                url, socket_timeout=seconds, socket_connect_timeout=seconds
            )
    return _within(seconds, client.ping)
