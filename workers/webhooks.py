"""Webhooks: organisations receive digest-ready and finding notices, signed and retried.

A delivery row is written with its outbox message in the transaction that
produced the notice (exactly one per endpoint and notice), and every attempt
is recorded. The signature header is `t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" under the endpoint's secret>`, so a receiver can check both the
sender and the freshness of a request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlparse

import sqlalchemy as sa

from projections.upsert import insert_unless_present
from workers import outbox
from workers.tables import webhook_attempts, webhook_deliveries, webhook_endpoints

EVENT_TYPES = ("digest.ready", "alignment.findings")
TIMEOUT_SECONDS = 10


class WebhookFailed(Exception):
    """The endpoint did not answer 2xx; raised so the Retries middleware backs off and retries."""


def register(
    conn: sa.Connection, organisation_id: str, url: str, events=EVENT_TYPES, allow_http: bool = False
) -> tuple[str, str]:
    """Register an endpoint; returns (endpoint id, secret). The secret is shown only here."""
    scheme = urlparse(url).scheme
    if scheme != "https" and not (allow_http and scheme == "http"):
        raise ValueError(f"webhook endpoints must use https, not {scheme or 'no scheme'}")
    unknown = set(events) - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown webhook events: {', '.join(sorted(unknown))}")
    endpoint_id, secret = str(uuid.uuid4()), "whsec_" + secrets.token_urlsafe(32)
    conn.execute(webhook_endpoints.insert().values(
        endpoint_id=endpoint_id, organisation_id=organisation_id, url=url, secret=secret, events=list(events)
    ))
    return endpoint_id, secret


def notify(conn: sa.Connection, organisation_id: str, event_type: str, event_key: str, payload: dict) -> int:
    """Queue one delivery per subscribed endpoint, in the caller's transaction; the number queued."""
    endpoints = conn.execute(sa.select(webhook_endpoints.c.endpoint_id, webhook_endpoints.c.events).where(
        webhook_endpoints.c.organisation_id == organisation_id, webhook_endpoints.c.disabled_at.is_(None)
    )).all()
    queued = 0
    for endpoint_id, events in endpoints:
        if event_type not in events:
            continue
        delivery_id = str(uuid.uuid4())
        if insert_unless_present(conn, webhook_deliveries, {
            "delivery_id": delivery_id, "endpoint_id": endpoint_id, "event_key": event_key,
            "event_type": event_type, "payload": payload, "status": "pending",
        }):
            outbox.record(conn, "deliver_webhook", "webhooks", delivery_id=delivery_id)
            queued += 1
    return queued


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(engine: sa.Engine, delivery_id: str) -> None:
    """Attempt one delivery (idempotent: a delivered one is not sent again); raises on failure."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(webhook_deliveries, webhook_endpoints.c.url, webhook_endpoints.c.secret)
            .join(webhook_endpoints, webhook_endpoints.c.endpoint_id == webhook_deliveries.c.endpoint_id)
            .where(webhook_deliveries.c.delivery_id == delivery_id)
        ).mappings().first()
    if row is None or row["status"] == "delivered":
        return
    body = json.dumps({"type": row["event_type"], "delivery_id": delivery_id, "data": row["payload"]}).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(row["url"], data=body, method="POST", headers={
        "Content-Type": "application/json",
        "X-Careerplan-Event": row["event_type"],
        "X-Careerplan-Delivery": delivery_id,
        "X-Careerplan-Signature": signature(row["secret"], timestamp, body),
    })
    status, error = None, None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as failure:
        status, error = failure.code, f"HTTP {failure.code}"
    except (urllib.error.URLError, OSError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    _record(engine, row, status, error)
    if error is not None:
        raise WebhookFailed(f"delivery {delivery_id} to {row['url']} failed: {error}")


def _record(engine: sa.Engine, row, status: int | None, error: str | None) -> None:
    attempt = row["attempts"] + 1
    with engine.begin() as conn:
        conn.execute(webhook_attempts.insert().values(
            delivery_id=row["delivery_id"], attempt=attempt, status_code=status, error=error
        ))
        values = {"attempts": attempt}
        if error is None:
            values.update(status="delivered", delivered_at=sa.func.now())
        conn.execute(webhook_deliveries.update().where(
            webhook_deliveries.c.delivery_id == row["delivery_id"]
        ).values(**values))
