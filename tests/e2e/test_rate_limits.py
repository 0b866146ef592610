"""Per-key rate limits: 429 problem+json with Retry-After, per key, shared through Redis."""

from __future__ import annotations

import dataclasses
import sys
import threading

import pytest

from api import create_app


def limited_app(services, **settings):
    return create_app(
        services=dataclasses.replace(
            services,
            settings=dataclasses.replace(services.settings, rate_limit="3/minute", **settings),
        )
    )


def test_a_key_past_its_limit_gets_429_with_retry_after(services, admin_a, admin_b):
    http = limited_app(services).test_client()
    mine = {"Authorization": f"Bearer {admin_a.key}"}

    answers = [http.get("/v1/me", headers=mine) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.mimetype == "application/problem+json" and refused.json["status"] == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert http.get("/v1/me", headers={"Authorization": f"Bearer {admin_b.key}"}).status_code == 200
    assert all(http.get("/health").status_code == 200 for _ in range(5))  # probes are not limited


@pytest.mark.redis
def test_the_count_is_shared_by_every_process_through_redis(services, admin_a, redis_namespace):
    url, namespace = redis_namespace
    first, second = (
        limited_app(services, redis_url=url, redis_namespace=namespace).test_client()
        for _ in range(2)
    )
    mine = {"Authorization": f"Bearer {admin_a.key}"}

    statuses = [
        http.get("/v1/me", headers=mine).status_code for http in (first, second, first, second)
    ]

    assert statuses == [200, 200, 200, 429]


def test_requests_are_served_when_the_count_cannot_be_reached(services, admin_a, caplog):
    import logging

    # A Redis that refuses connections (nothing listens on port 1): serve rather than refuse.
    http = limited_app(services, redis_url="redis://127.0.0.1:1/0").test_client()
    mine = {"Authorization": f"Bearer {admin_a.key}"}

    with caplog.at_level(logging.WARNING, logger="api.rate_limits"):
        assert [http.get("/v1/me", headers=mine).status_code for _ in range(5)] == [200] * 5
    # One line for the outage, not one per request.
    assert [r.getMessage() for r in caplog.records if r.name == "api.rate_limits"] == [
        "dependency unavailable"
    ]


def test_a_redis_outage_is_logged_once_when_it_starts_and_once_when_it_ends(caplog):
    import logging

    from api.outage_note import OutageNote

    note = OutageNote("rate limiting", logging.getLogger("api.rate_limits"))
    with caplog.at_level(logging.WARNING, logger="api.rate_limits"):
        for _ in range(5):
            note.failed("Redis down")
        for _ in range(3):
            note.succeeded()
        note.failed("down again")

    lines = [(r.getMessage(), getattr(r, "requests_without", None)) for r in caplog.records]
    assert lines == [
        ("dependency unavailable", None),
        ("dependency available again", 5),
        ("dependency unavailable", None),
    ]


def test_the_in_memory_count_takes_requests_from_many_threads(services, admin_a):
    # gthread serves a worker's requests on several threads; the in-memory count must hold up
    # (limits' memory storage could start its expiry timer twice and fail a request).
    app = create_app(services=services)  # the embedded default: counted in memory
    mine = {"Authorization": f"Bearer {admin_a.key}"}
    statuses: list[int] = []

    def send() -> None:
        http = app.test_client()
        statuses.extend(http.get("/v1/me", headers=mine).status_code for _ in range(150))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads change hands all the time: a race shows
    try:
        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert statuses == [200] * 1200
