"""An organisation's webhook endpoints as its admins manage them: register, list, change, rotate, delete.

Secrets are shown once (on registration and rotation) and stored sealed.
Rotating keeps the old secret valid for the grace period (WebhookConfig's
`secret_grace`, WEBHOOK_SECRET_GRACE_HOURS): deliveries are signed with both
until it ends; rotating again within it drops the oldest. A disabled endpoint
gets no new deliveries, and its queued ones are cancelled when their turn
comes. Deleting an endpoint removes it from the API, wipes its secrets and
cancels its pending deliveries at once; its delivery log is kept (who was sent
what, and when, stays auditable; payloads hold ids only).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from eventstore.schema import utc
from services.webhooks import sealed_secrets as webhook_secrets
from services.webhooks import targets as webhook_targets
from services.webhooks.config import config_of
from services.webhooks.notices import EVENT_TYPES, now
from services.webhooks.signing import new_secret
from services.webhooks.tables import webhook_deliveries, webhook_endpoints


def register(
    conn: sa.Connection, organisation_id: str, url: str, events: Sequence[str] = EVENT_TYPES
) -> tuple[str, str]:
    """Register an endpoint; returns (endpoint id, secret). The secret is shown only here, and stored sealed.

    WebhookTargetRefused (a ValueError) when the URL is not HTTPS to public addresses.
    """
    config = config_of(conn.engine)
    webhook_targets.check(url, config.allowed_hosts, config.resolve)
    _check_events(events)
    endpoint_id, secret = str(uuid.uuid4()), new_secret()
    conn.execute(
        webhook_endpoints.insert().values(
            endpoint_id=endpoint_id,
            organisation_id=organisation_id,
            url=url,
            events=list(events),
            secret=webhook_secrets.seal(config.master_key, endpoint_id, secret),
            created_at=now(),
        )
    )
    return endpoint_id, secret


def register_endpoint(
    engine: sa.Engine, organisation_id: str, url: str, events: Sequence[str] = EVENT_TYPES
) -> dict:
    """Register an endpoint (see `register`); its view with the secret, shown only here."""
    with engine.begin() as conn:
        endpoint_id, secret = register(conn, organisation_id, url, events)
        return {**_view(_row(conn, organisation_id, endpoint_id)), "secret": secret}


def endpoint_page(
    engine: sa.Engine, organisation_id: str, after: str | None, limit: int
) -> tuple[list[dict], str | None]:
    """The organisation's endpoints (enabled or not) by id, a page at a time; and the position after it."""
    query = (
        sa.select(webhook_endpoints)
        .where(
            webhook_endpoints.c.organisation_id == organisation_id,
            webhook_endpoints.c.deleted_at.is_(None),
        )
        .order_by(webhook_endpoints.c.endpoint_id)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(webhook_endpoints.c.endpoint_id > after)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    items = [_view(r) for r in rows[:limit]]
    return items, items[-1]["endpoint_id"] if len(rows) > limit else None


def endpoint_of(engine: sa.Engine, organisation_id: str, endpoint_id: str) -> dict | None:
    """One of the organisation's endpoints; None when it has no such endpoint (or deleted it)."""
    with engine.connect() as conn:
        row = _row(conn, organisation_id, endpoint_id)
    return None if row is None else _view(row)


def update_endpoint(
    engine: sa.Engine,
    organisation_id: str,
    endpoint_id: str,
    *,
    url: str | None = None,
    events: Sequence[str] | None = None,
    enabled: bool | None = None,
) -> dict | None:
    """Change what is given of URL (checked as on registration), events and enabled; None if no such endpoint."""
    values: dict = {}
    if url is not None:
        config = config_of(engine)
        webhook_targets.check(url, config.allowed_hosts, config.resolve)
        values["url"] = url
    if events is not None:
        _check_events(events)
        values["events"] = list(events)
    with engine.begin() as conn:
        row = _row(conn, organisation_id, endpoint_id)
        if row is None:
            return None
        if enabled is not None and enabled == (row["disabled_at"] is not None):
            values["disabled_at"] = None if enabled else now()
        if values:
            conn.execute(
                _where(organisation_id, endpoint_id, webhook_endpoints.update()).values(**values)
            )
        return _view(_row(conn, organisation_id, endpoint_id))


def rotate_secret(engine: sa.Engine, organisation_id: str, endpoint_id: str) -> dict | None:
    """Give the endpoint a new secret (returned, shown only here); the old one signs on for the grace period."""
    config = config_of(engine)
    with engine.begin() as conn:
        row = _row(conn, organisation_id, endpoint_id)
        if row is None:
            return None
        secret = new_secret()
        conn.execute(
            _where(organisation_id, endpoint_id, webhook_endpoints.update()).values(
                secret=webhook_secrets.seal(config.master_key, endpoint_id, secret),
                previous_secret=row["secret"],  # sealed for the same endpoint: stays sealed
                previous_secret_expires_at=now() + config.secret_grace,
            )
        )
        return {**_view(_row(conn, organisation_id, endpoint_id)), "secret": secret}


def delete_endpoint(engine: sa.Engine, organisation_id: str, endpoint_id: str) -> bool:
    """Delete the endpoint: its secrets wiped, its pending deliveries cancelled, its log kept; False if none."""
    with engine.begin() as conn:
        if _row(conn, organisation_id, endpoint_id) is None:
            return False
        conn.execute(
            _where(organisation_id, endpoint_id, webhook_endpoints.update()).values(
                deleted_at=now(), secret="", previous_secret=None, previous_secret_expires_at=None
            )
        )
        conn.execute(
            webhook_deliveries.update()
            .where(
                webhook_deliveries.c.endpoint_id == endpoint_id,
                webhook_deliveries.c.status == "pending",
            )
            .values(status="cancelled")
        )
    return True


def _check_events(events: Sequence[str]) -> None:
    unknown = set(events) - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown webhook events: {', '.join(sorted(unknown))}")


def _where(organisation_id: str, endpoint_id: str, statement):
    return statement.where(
        webhook_endpoints.c.endpoint_id == endpoint_id,
        webhook_endpoints.c.organisation_id == organisation_id,
        webhook_endpoints.c.deleted_at.is_(None),
    )


def _row(conn: sa.Connection, organisation_id: str, endpoint_id: str):
    return (
        conn.execute(_where(organisation_id, endpoint_id, sa.select(webhook_endpoints)))
        .mappings()
        .first()
    )


def _view(row) -> dict:
    """What the API shows of an endpoint: never a secret."""
    expires = utc(row["previous_secret_expires_at"])
    return {
        "endpoint_id": row["endpoint_id"],
        "url": row["url"],
        "events": list(row["events"]),
        "enabled": row["disabled_at"] is None,
        "created_at": utc(row["created_at"]),
        "disabled_at": utc(row["disabled_at"]),
        "previous_secret_expires_at": expires if expires is not None and expires > now() else None,
    }
