"""Webhooks: signed, recorded per attempt, one delivery per notice, retried until delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from plan_histories import enrol_seed_client
from test_workers_stub import stub  # noqa: F401 - the StubBroker fixture
from workers import digest_runs, failures, scheduler, webhooks
from workers.tables import webhook_attempts, webhook_deliveries


@pytest.fixture
def receiver():
    """A local HTTPS stand-in (plain HTTP on loopback) that fails its first request."""
    received, answers = [], [500]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hooks", received
    server.shutdown()


def test_https_is_required_unless_allowed(engine):
    with engine.begin() as conn, pytest.raises(ValueError, match="https"):
        webhooks.register(conn, "org-a", "http://example.invalid/hook")


def test_findings_and_digests_are_delivered_signed_once_after_a_retry(stub, receiver):  # noqa: F811
    services, clock, broker, actors, drain = stub
    url, received = receiver
    with services.engine.begin() as conn:
        _, secret = webhooks.register(conn, "org-a", url, allow_http=True)
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
        attempts = conn.execute(sa.select(webhook_attempts.c.status_code).order_by(webhook_attempts.c.attempt)).scalars().all()
    assert delivery["status"] == "delivered" and attempts == [500, 200]
    headers, body = received[-1]
    timestamp = headers["X-Careerplan-Signature"].split(",")[0][2:]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["X-Careerplan-Signature"] == f"t={timestamp},v1={expected}"
    assert json.loads(body)["type"] == "alignment.findings"

    digest_runs.start_run(services.engine, "org-a", "weekly", clock.now)
    drain()
    digest_notices = [json.loads(b) for _, b in received if json.loads(b)["type"] == "digest.ready"]
    assert len(digest_notices) == 2  # the client's digest and the coach's
