"""Webhooks: signed (Standard Webhooks), recorded per attempt, one delivery per notice, retried until delivered."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from plan_histories import enrol_seed_client
from standardwebhooks import Webhook
from test_workers_stub import stub  # noqa: F401 - the StubBroker fixture
from tls_receiver import trusted_receiver

from services import webhooks
from services.digests import runs as digest_runs
from services.jobs import failures
from services.webhooks import sealed_secrets as webhook_secrets
from services.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from workers import scheduler


@pytest.fixture
def receiver(stub, tmp_path, monkeypatch):  # noqa: F811
    """A local HTTPS receiver, allow-listed for the stub's services, that fails its first request."""
    answers = [500]

    def answer(handler):
        handler.send_response(answers.pop(0) if answers else 200)
        handler.end_headers()

    with trusted_receiver(tmp_path, monkeypatch, answer) as (port, received):
        allow(stub[0].engine, f"127.0.0.1:{port}")
        yield f"https://127.0.0.1:{port}/hooks", received


def allow(engine, host: str) -> None:
    """Put `host` on the webhook allow-list of the services on `engine`."""
    config = webhooks.config_of(engine)
    webhooks.configure(
        engine, dataclasses.replace(config, allowed_hosts={*config.allowed_hosts, host})
    )


def test_https_is_required(stub):  # noqa: F811
    with stub[0].engine.begin() as conn, pytest.raises(ValueError, match="https"):
        webhooks.register(conn, "org-a", "http://example.invalid/hook")


def test_a_stored_secret_is_sealed_not_the_plain_secret(stub):  # noqa: F811
    services = stub[0]
    allow(services.engine, "hooks.example.com")
    with services.engine.begin() as conn:
        endpoint_id, secret = webhooks.register(conn, "org-a", "https://hooks.example.com/a")
    with services.engine.connect() as conn:
        stored = conn.execute(sa.select(webhook_endpoints.c.secret)).scalar_one()
    assert secret.startswith("whsec_") and secret not in stored and stored.startswith("sealed:v1:")
    master_key = services.settings.data_master_key
    assert webhook_secrets.open_secret(master_key, endpoint_id, stored) == secret


def test_findings_and_digests_are_delivered_signed_once_after_a_retry(stub, receiver):  # noqa: F811
    services, clock, broker, actors, drain = stub
    url, received = receiver
    with services.engine.begin() as conn:
        _, secret = webhooks.register(conn, "org-a", url, ["alignment.findings", "digest.ready"])
    enrol_seed_client(services.plans, clock)
    clock.now += timedelta(days=60)

    scheduler.fire(services.engine, scheduler.JOBS[0], clock.now)
    drain()
    services.projections.catch_up()
    drain()  # the first POST answers 500: the job fails and is kept
    assert failures.redrive(services.engine) == 1
    drain()
    services.projections.catch_up()  # nothing new: no second delivery

    with services.engine.connect() as conn:
        (delivery,) = conn.execute(sa.select(webhook_deliveries)).mappings().all()
        attempts = (
            conn.execute(
                sa.select(webhook_attempts.c.status_code).order_by(webhook_attempts.c.attempt)
            )
            .scalars()
            .all()
        )
    assert delivery["status"] == "delivered" and attempts == [500, 200]
    headers, body = received[-1]
    assert Webhook(secret).verify(body, headers)["type"] == "alignment.findings"
    assert headers["webhook-id"] == delivery["delivery_id"] == received[0][0]["webhook-id"]
    timestamp = headers["X-Careerplan-Signature"].split(",")[0][
        2:
    ]  # the deprecated header, still sent
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Careerplan-Signature"] == f"t={timestamp},v1={expected}"

    digest_runs.start_run(services.engine, "org-a", "weekly", clock.now)
    drain()
    digest_notices = [json.loads(b) for _, b in received if json.loads(b)["type"] == "digest.ready"]
    assert len(digest_notices) == 3  # the client's digest, the coach's and the organisation's


def test_a_redirect_is_not_followed_and_the_attempt_is_recorded_as_failed(
    stub,  # noqa: F811 - the StubBroker fixture imported above
    tmp_path,
    monkeypatch,
):
    services = stub[0]
    internal_hits = []

    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", "http://127.0.0.1:9/internal-admin")
        handler.end_headers()

    with trusted_receiver(tmp_path, monkeypatch, redirect) as (port, received):
        allow(services.engine, f"127.0.0.1:{port}")
        with services.engine.begin() as conn:
            webhooks.register(conn, "org-a", f"https://127.0.0.1:{port}/hooks")
            webhooks.notify(conn, "org-a", "digest.ready", "digest-1", {"digest_id": "digest-1"})
        with services.engine.connect() as conn:
            delivery_id = conn.execute(sa.select(webhook_deliveries.c.delivery_id)).scalar_one()
        with pytest.raises(webhooks.WebhookFailed, match="302"):
            webhooks.deliver(services.engine, delivery_id)
    with services.engine.connect() as conn:
        delivery = conn.execute(sa.select(webhook_deliveries)).mappings().one()
        attempt = conn.execute(sa.select(webhook_attempts)).mappings().one()
    assert len(received) == 1 and not internal_hits
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert attempt["status_code"] == 302 and "not followed" in attempt["error"]


def test_a_delivery_checks_the_address_again_when_it_is_sent(stub):  # noqa: F811
    services = stub[0]
    allow(services.engine, "hooks.example.com")
    with services.engine.begin() as conn:
        webhooks.register(conn, "org-a", "https://hooks.example.com/a")
        webhooks.notify(conn, "org-a", "digest.ready", "digest-1", {"digest_id": "digest-1"})
        delivery_id = conn.execute(sa.select(webhook_deliveries.c.delivery_id)).scalar_one()
    config = webhooks.config_of(services.engine)
    rebound = dataclasses.replace(
        config, allowed_hosts=(), resolve=lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 443))]
    )
    webhooks.configure(
        services.engine, rebound
    )  # the name now resolves to loopback (DNS rebinding)
    with pytest.raises(webhooks.WebhookFailed, match="loopback"):
        webhooks.deliver(services.engine, delivery_id)
    with services.engine.connect() as conn:
        attempt = conn.execute(sa.select(webhook_attempts)).mappings().one()
    assert attempt["status_code"] is None and attempt["error"].startswith("refused:")
