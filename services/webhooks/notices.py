"""Queueing notices: one delivery row and its outbox message per subscribed endpoint, exactly once.

Called inside the transaction that produced the notice (a digest written, a
projection's batch with its checkpoint), so a notice is queued if and only if
its cause committed. The unique (endpoint, event key) pair makes a replay of
the same notice a no-op. An endpoint gets the notices of events recorded from
its registration on (never the history before it), and none while it is
disabled or after it was deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timezone

import sqlalchemy as sa

from eventstore.schema import utc
from projections.finding_notices import Notice
from projections.upsert import insert_unless_present
from services.jobs import outbox
from services.webhooks.tables import webhook_deliveries, webhook_endpoints

# The notices an endpoint can subscribe to (all of them unless it chooses).
EVENT_TYPES = (
    "digest.ready",
    "alignment.findings",
    "goal.set",
    "goal.achieved",
    "goal.dropped",
    "goal.replaced",
    "check_in.recorded",
    "review.completed",
    "client.archived",
    "client.nudge_due",
)
TEST_EVENT = "webhook.test"  # sent on request (ping), to one endpoint, whatever it subscribed to


def now() -> datetime:
    """The time a delivery is queued or a secret rotated (microseconds kept: the log sorts by it)."""
    return datetime.now(timezone.utc)


def notify(
    conn: sa.Connection,
    organisation_id: str,
    event_type: str,
    event_key: str,
    payload: dict,
    recorded_at: datetime | None = None,
) -> int:
    """Queue one delivery per enabled endpoint subscribed to `event_type`; the number queued.

    `recorded_at` (when the service learnt the event) leaves out endpoints registered after it.
    """
    return notify_all(conn, [Notice(organisation_id, event_type, event_key, payload, recorded_at)])


def notify_all(conn: sa.Connection, notices: Iterable[Notice]) -> int:
    """Queue the deliveries of many notices (a projection's batch); the number queued.

    Each organisation's endpoints are read once for the lot, not once per
    notice: a batch of a thousand events of an organisation with no endpoint
    costs one statement.
    """
    endpoints: dict[str, list[sa.Row]] = {}
    queued = 0
    for notice in notices:
        if notice.organisation_id not in endpoints:
            endpoints[notice.organisation_id] = _endpoints(conn, notice.organisation_id)
        learnt = utc(notice.recorded_at)
        for endpoint_id, events, created_at in endpoints[notice.organisation_id]:
            if learnt is not None and utc(created_at) > learnt:
                continue
            if notice.event_type in events and queue(
                conn, endpoint_id, notice.event_type, notice.event_key, notice.payload
            ):
                queued += 1
    return queued


def _endpoints(conn: sa.Connection, organisation_id: str) -> list[sa.Row]:
    """The organisation's enabled endpoints: (endpoint_id, events, created_at)."""
    query = sa.select(
        webhook_endpoints.c.endpoint_id,
        webhook_endpoints.c.events,
        webhook_endpoints.c.created_at,
    ).where(
        webhook_endpoints.c.organisation_id == organisation_id,
        webhook_endpoints.c.disabled_at.is_(None),
        webhook_endpoints.c.deleted_at.is_(None),
    )
    return list(conn.execute(query).all())


def queue(
    conn: sa.Connection, endpoint_id: str, event_type: str, event_key: str, payload: dict
) -> str | None:
    """Queue one delivery to one endpoint; its id, or None when this notice was queued there before."""
    delivery_id = str(uuid.uuid4())
    row = {
        "delivery_id": delivery_id,
        "endpoint_id": endpoint_id,
        "event_key": event_key,
        "event_type": event_type,
        "payload": payload,
        "status": "pending",
        "created_at": now(),
    }
    if not insert_unless_present(conn, webhook_deliveries, row):
        return None
    outbox.record(conn, "deliver_webhook", "webhooks", delivery_id=delivery_id)
    return delivery_id
