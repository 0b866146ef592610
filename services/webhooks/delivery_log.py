"""An endpoint's delivery log, newest first, each delivery with its attempts; and the test ping.

A ping (`webhook.test`) is queued like any notice: a delivery row and its
outbox message in one transaction, sent by the workers with the same
signing, retries and log. A disabled endpoint gets no ping (EndpointDisabled).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa

from eventstore.schema import utc
from services.webhooks.notices import TEST_EVENT, now, queue
from services.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints

_SHOWN = (
    webhook_deliveries.c.delivery_id,
    webhook_deliveries.c.endpoint_id,
    webhook_deliveries.c.event_type,
    webhook_deliveries.c.status,
    webhook_deliveries.c.attempts,
    webhook_deliveries.c.created_at,
    webhook_deliveries.c.delivered_at,
)


class EndpointDisabled(Exception):
    """The endpoint is disabled: it gets no deliveries, a test ping included, until enabled again."""

    code = "webhook_disabled"


def delivery_page(
    engine: sa.Engine,
    organisation_id: str,
    endpoint_id: str,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[dict], tuple[str, str] | None] | None:
    """Deliveries to the endpoint, newest first, and the position after the page; None if no such endpoint.

    A position is `[created_at (ISO 8601), delivery_id]` of the page's last delivery.
    """
    query = (
        sa.select(*_SHOWN)
        .where(webhook_deliveries.c.endpoint_id == endpoint_id)
        .order_by(webhook_deliveries.c.created_at.desc(), webhook_deliveries.c.delivery_id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        created_at, delivery_id = datetime.fromisoformat(after[0]), after[1]
        query = query.where(
            sa.or_(
                webhook_deliveries.c.created_at < created_at,
                sa.and_(
                    webhook_deliveries.c.created_at == created_at,
                    webhook_deliveries.c.delivery_id < delivery_id,
                ),
            )
        )
    with engine.connect() as conn:
        if not _owned(conn, organisation_id, endpoint_id):
            return None
        rows = [_delivery(r) for r in conn.execute(query).mappings()]
    items = rows[:limit]
    if len(rows) <= limit:
        return items, None
    return items, (items[-1]["created_at"].isoformat(), items[-1]["delivery_id"])


def delivery_of(
    engine: sa.Engine, organisation_id: str, endpoint_id: str, delivery_id: str
) -> dict | None:
    """One delivery to the endpoint with its attempts, oldest first; None if there is no such delivery."""
    with engine.connect() as conn:
        if not _owned(conn, organisation_id, endpoint_id):
            return None
        row = (
            conn.execute(
                sa.select(*_SHOWN, webhook_deliveries.c.payload).where(
                    webhook_deliveries.c.delivery_id == delivery_id,
                    webhook_deliveries.c.endpoint_id == endpoint_id,
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        attempts = conn.execute(
            sa.select(
                webhook_attempts.c.attempt,
                webhook_attempts.c.attempted_at,
                webhook_attempts.c.status_code,
                webhook_attempts.c.error,
            )
            .where(webhook_attempts.c.delivery_id == delivery_id)
            .order_by(webhook_attempts.c.attempt)
        ).mappings()
        return {
            **_delivery(row),
            "payload": row["payload"],
            "attempt_log": [{**a, "attempted_at": utc(a["attempted_at"])} for a in attempts],
        }


def ping(engine: sa.Engine, organisation_id: str, endpoint_id: str) -> dict | None:
    """Queue a `webhook.test` delivery to the endpoint; the delivery, or None if there is no such endpoint.

    EndpointDisabled when the endpoint is disabled.
    """
    with engine.begin() as conn:
        endpoint = _owned(conn, organisation_id, endpoint_id)
        if endpoint is None:
            return None
        if endpoint.disabled_at is not None:
            raise EndpointDisabled(f"webhook endpoint {endpoint_id} is disabled: enable it first")
        requested_at = now()
        delivery_id = queue(
            conn,
            endpoint_id,
            TEST_EVENT,
            f"test:{uuid.uuid4()}",
            {"endpoint_id": endpoint_id, "requested_at": requested_at.isoformat()},
        )
        row = (
            conn.execute(sa.select(*_SHOWN).where(webhook_deliveries.c.delivery_id == delivery_id))
            .mappings()
            .one()
        )
        return _delivery(row)


def _owned(conn: sa.Connection, organisation_id: str, endpoint_id: str):
    """The endpoint's row (id and disabled_at), if the organisation has it and did not delete it."""
    return conn.execute(
        sa.select(webhook_endpoints.c.endpoint_id, webhook_endpoints.c.disabled_at).where(
            webhook_endpoints.c.endpoint_id == endpoint_id,
            webhook_endpoints.c.organisation_id == organisation_id,
            webhook_endpoints.c.deleted_at.is_(None),
        )
    ).first()


def _delivery(row) -> dict:
    return {
        **row,
        "created_at": utc(row["created_at"]),
        "delivered_at": utc(row["delivered_at"]),
    }
