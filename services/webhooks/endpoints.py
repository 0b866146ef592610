"""An organisation's webhook endpoints as its admins manage them: list, register, read deliveries."""

from __future__ import annotations

import sqlalchemy as sa

from services.webhooks import EVENT_TYPES, register
from services.webhooks.tables import webhook_deliveries, webhook_endpoints

DELIVERIES_SHOWN = 500


def endpoints_of(engine: sa.Engine, organisation_id: str) -> list[dict]:
    """The organisation's endpoints that are not disabled."""
    with engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                sa.select(webhook_endpoints).where(
                    webhook_endpoints.c.organisation_id == organisation_id,
                    webhook_endpoints.c.disabled_at.is_(None),
                )
            ).mappings()
        ]


def register_endpoint(
    engine: sa.Engine, organisation_id: str, url: str, events=EVENT_TYPES
) -> dict:
    """Register an endpoint (see `webhooks.register`); the stored row with its secret, shown only here."""
    with engine.begin() as conn:
        endpoint_id, secret = register(conn, organisation_id, url, events)
        row = (
            conn.execute(
                sa.select(webhook_endpoints).where(webhook_endpoints.c.endpoint_id == endpoint_id)
            )
            .mappings()
            .one()
        )
    return {**row, "secret": secret}


def deliveries_of(engine: sa.Engine, organisation_id: str, endpoint_id: str) -> list[dict] | None:
    """Deliveries to one of the organisation's endpoints, oldest first; None when it has no such endpoint."""
    with engine.connect() as conn:
        owned = conn.execute(
            sa.select(webhook_endpoints.c.endpoint_id).where(
                webhook_endpoints.c.endpoint_id == endpoint_id,
                webhook_endpoints.c.organisation_id == organisation_id,
            )
        ).first()
        if owned is None:
            return None
        return [
            dict(r)
            for r in conn.execute(
                sa.select(webhook_deliveries)
                .where(webhook_deliveries.c.endpoint_id == endpoint_id)
                .order_by(webhook_deliveries.c.created_at)
                .limit(DELIVERIES_SHOWN)
            ).mappings()
        ]
