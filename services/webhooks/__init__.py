"""Webhooks: organisations receive digest-ready and finding notices, signed and retried.

A delivery row is written with its outbox message in the transaction that
produced the notice (exactly one per endpoint and notice), and every attempt
is recorded. The signature header is `t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" under the endpoint's secret>`, so a receiver can check both the
sender and the freshness of a request. Where an endpoint may point is
webhook_targets' rule, how a request is sent webhook_transport's, and secrets
are stored sealed (webhook_secrets).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import socket
import ssl
import time
import uuid
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa

from projections.upsert import insert_unless_present
from services.jobs import outbox
from services.webhooks import sealed_secrets as webhook_secrets
from services.webhooks import targets as webhook_targets
from services.webhooks import transport as webhook_transport
from services.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from services.webhooks.targets import WebhookTargetRefused

EVENT_TYPES = ("digest.ready", "alignment.findings")


class WebhookFailed(Exception):
    """The endpoint did not answer 2xx; raised so the Retries middleware backs off and retries.

    Its message names the delivery, the URL and the status: logged as one line, no traceback.
    """

    log_without_traceback = True


@dataclass(frozen=True)
class WebhookConfig:
    """What registering and delivering need from the process: the master key and the allow-list."""

    master_key: bytes
    allowed_hosts: Collection[str] = ()
    resolve: webhook_targets.Resolver = field(default=socket.getaddrinfo)


_CONFIGS: weakref.WeakKeyDictionary[sa.Engine, WebhookConfig] = weakref.WeakKeyDictionary()


def configure(engine: sa.Engine, config: WebhookConfig) -> None:
    """Set how webhooks stored in `engine`'s database are sealed and checked (bootstrap does this)."""
    _CONFIGS[engine] = config


def config_of(engine: sa.Engine) -> WebhookConfig:
    """The configuration `configure` set for `engine`."""
    try:
        return _CONFIGS[engine]
    except KeyError:
        raise RuntimeError(
            "webhooks are not configured for this engine: build it with careerplan.bootstrap"
        ) from None


def register(
    conn: sa.Connection, organisation_id: str, url: str, events=EVENT_TYPES
) -> tuple[str, str]:
    """Register an endpoint; returns (endpoint id, secret). The secret is shown only here, and stored sealed.

    WebhookTargetRefused (a ValueError) when the URL is not HTTPS to public addresses.
    """
    config = config_of(conn.engine)
    webhook_targets.check(url, config.allowed_hosts, config.resolve)
    unknown = set(events) - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown webhook events: {', '.join(sorted(unknown))}")
    endpoint_id, secret = str(uuid.uuid4()), "whsec_" + secrets.token_urlsafe(32)
    conn.execute(
        webhook_endpoints.insert().values(
            endpoint_id=endpoint_id,
            organisation_id=organisation_id,
            url=url,
            events=list(events),
            secret=webhook_secrets.seal(config.master_key, endpoint_id, secret),
        )
    )
    return endpoint_id, secret


def notify(
    conn: sa.Connection, organisation_id: str, event_type: str, event_key: str, payload: dict
) -> int:
    """Queue one delivery per subscribed endpoint, in the caller's transaction; the number queued."""
    endpoints = conn.execute(
        sa.select(webhook_endpoints.c.endpoint_id, webhook_endpoints.c.events).where(
            webhook_endpoints.c.organisation_id == organisation_id,
            webhook_endpoints.c.disabled_at.is_(None),
        )
    ).all()
    queued = 0
    for endpoint_id, events in endpoints:
        if event_type not in events:
            continue
        delivery_id = str(uuid.uuid4())
        if insert_unless_present(
            conn,
            webhook_deliveries,
            {
                "delivery_id": delivery_id,
                "endpoint_id": endpoint_id,
                "event_key": event_key,
                "event_type": event_type,
                "payload": payload,
                "status": "pending",
            },
        ):
            outbox.record(conn, "deliver_webhook", "webhooks", delivery_id=delivery_id)
            queued += 1
    return queued


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(engine: sa.Engine, delivery_id: str) -> None:
    """Attempt one delivery (idempotent: a delivered one is not sent again); raises on failure.

    The URL is checked again (its host may resolve elsewhere by now) and the
    request goes to the address checked; a refusal, a redirect or any non-2xx
    answer is a failed attempt, recorded with its status.
    """
    config = config_of(engine)
    with engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(webhook_deliveries, webhook_endpoints.c.url, webhook_endpoints.c.secret)
                .join(
                    webhook_endpoints,
                    webhook_endpoints.c.endpoint_id == webhook_deliveries.c.endpoint_id,
                )
                .where(webhook_deliveries.c.delivery_id == delivery_id)
            )
            .mappings()
            .first()
        )
    if row is None or row["status"] == "delivered":
        return
    body = json.dumps(
        {"type": row["event_type"], "delivery_id": delivery_id, "data": row["payload"]}
    ).encode()
    secret = webhook_secrets.open_secret(config.master_key, row["endpoint_id"], row["secret"])
    headers = {
        "Content-Type": "application/json",
        "X-Careerplan-Event": row["event_type"],
        "X-Careerplan-Delivery": delivery_id,
        "X-Careerplan-Signature": signature(secret, int(time.time()), body),
    }
    status, error = None, None
    try:
        status = webhook_transport.post(
            webhook_targets.check(row["url"], config.allowed_hosts, config.resolve), body, headers
        )
    except WebhookTargetRefused as refused:
        error = f"refused: {refused}"
    except (OSError, ssl.SSLError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    if status is not None and not 200 <= status < 300:
        error = f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
    _record(engine, row, status, error)
    if error is not None:
        raise WebhookFailed(f"delivery {delivery_id} to {row['url']} failed: {error}")


def _record(engine: sa.Engine, row, status: int | None, error: str | None) -> None:
    attempt = row["attempts"] + 1
    with engine.begin() as conn:
        conn.execute(
            webhook_attempts.insert().values(
                delivery_id=row["delivery_id"], attempt=attempt, status_code=status, error=error
            )
        )
        values = {"attempts": attempt}
        if error is None:
            values.update(status="delivered", delivered_at=sa.func.now())
        conn.execute(
            webhook_deliveries.update()
            .where(webhook_deliveries.c.delivery_id == row["delivery_id"])
            .values(**values)
        )
