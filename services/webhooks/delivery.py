"""Sending one delivery: signed, to the address checked, every attempt recorded.

The body is `{"type", "timestamp", "delivery_id", "data"}` (the shape the
Standard Webhooks specification recommends, plus the delivery id); the
headers are `services.webhooks.signing`'s. A delivery whose endpoint was
disabled or deleted before it went out is cancelled, not sent.
"""

from __future__ import annotations

import http.client
import json
import ssl
from datetime import datetime

import sqlalchemy as sa

from eventstore.schema import utc
from services.webhooks import sealed_secrets as webhook_secrets
from services.webhooks import targets as webhook_targets
from services.webhooks import transport as webhook_transport
from services.webhooks.config import WebhookConfig, config_of
from services.webhooks.notices import now
from services.webhooks.signing import signed_headers
from services.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from services.webhooks.targets import WebhookTargetRefused


class WebhookFailed(Exception):
    """The endpoint did not answer 2xx; raised so the Retries middleware backs off and retries.

    Its message names the delivery, the URL and the status: logged as one line, no traceback.
    """

    log_without_traceback = True


def deliver(engine: sa.Engine, delivery_id: str) -> None:
    """Attempt one delivery (idempotent: a delivered or cancelled one is not sent again); raises on failure.

    The URL is checked again (its host may resolve elsewhere by now) and the
    request goes to the address checked; a refusal, a redirect or any non-2xx
    answer is a failed attempt, recorded with its status.
    """
    config = config_of(engine)
    with engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(
                    webhook_deliveries,
                    webhook_endpoints.c.url,
                    webhook_endpoints.c.secret,
                    webhook_endpoints.c.previous_secret,
                    webhook_endpoints.c.previous_secret_expires_at,
                    webhook_endpoints.c.disabled_at,
                    webhook_endpoints.c.deleted_at,
                )
                .join(
                    webhook_endpoints,
                    webhook_endpoints.c.endpoint_id == webhook_deliveries.c.endpoint_id,
                )
                .where(webhook_deliveries.c.delivery_id == delivery_id)
            )
            .mappings()
            .first()
        )
    if row is None or row["status"] != "pending":
        return
    if row["disabled_at"] is not None or row["deleted_at"] is not None:
        _cancel(engine, delivery_id)
        return
    sent_at = now()
    body = json.dumps(
        {
            "type": row["event_type"],
            "timestamp": utc(row["created_at"]).isoformat(),
            "delivery_id": delivery_id,
            "data": row["payload"],
        }
    ).encode()
    headers = signed_headers(
        delivery_id, row["event_type"], body, valid_secrets(config, row, sent_at), sent_at
    )
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


def valid_secrets(config: WebhookConfig, row, at: datetime) -> list[str]:
    """The endpoint's secrets valid at `at`: the current one, then the rotated-out one in its grace period."""
    endpoint_id = row["endpoint_id"]
    valid = [webhook_secrets.open_secret(config.master_key, endpoint_id, row["secret"])]
    expires = row["previous_secret_expires_at"]
    if row["previous_secret"] and expires is not None and utc(expires) > at:
        valid.append(
            webhook_secrets.open_secret(config.master_key, endpoint_id, row["previous_secret"])
        )
    return valid


def _cancel(engine: sa.Engine, delivery_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            webhook_deliveries.update()
            .where(
                webhook_deliveries.c.delivery_id == delivery_id,
                webhook_deliveries.c.status == "pending",
            )
            .values(status="cancelled")
        )


def _record(engine: sa.Engine, row, status: int | None, error: str | None) -> None:
    attempt = row["attempts"] + 1
    with engine.begin() as conn:
        conn.execute(
            webhook_attempts.insert().values(
                delivery_id=row["delivery_id"],
                attempt=attempt,
                attempted_at=now(),
                status_code=status,
                error=error,
            )
        )
        values = {"attempts": attempt}
        if error is None:
            values.update(status="delivered", delivered_at=now())
        conn.execute(
            webhook_deliveries.update()
            .where(webhook_deliveries.c.delivery_id == row["delivery_id"])
            .values(**values)
        )
