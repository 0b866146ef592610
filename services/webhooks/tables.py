"""The webhook tables: endpoints (secrets sealed), deliveries of notices, and each attempt.

A delivery's status is `pending`, `delivered` or `cancelled` (its endpoint was
disabled or deleted before it was sent).
"""

import sqlalchemy as sa

from eventstore.schema import JsonDocument

metadata = sa.MetaData()

webhook_endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    sa.Column("endpoint_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False, index=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("secret", sa.String(200), nullable=False),
    sa.Column("events", JsonDocument, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    # Rotation: the old secret (sealed) keeps signing until it expires; see services.webhooks.signing.
    sa.Column("previous_secret", sa.String(200)),
    sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True)),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),  # gone from the API; its log is kept
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("delivery_id", sa.String(36), primary_key=True),
    sa.Column("endpoint_id", sa.String(36), nullable=False),
    sa.Column("event_key", sa.String(200), nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("payload", JsonDocument, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("endpoint_id", "event_key", name="uq_webhook_deliveries_event"),
    sa.Index("ix_webhook_deliveries_log", "endpoint_id", "created_at"),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("delivery_id", sa.String(36), primary_key=True),
    sa.Column("attempt", sa.Integer, primary_key=True),
    sa.Column(
        "attempted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.Text),
)
