"""Organisations, API keys, idempotent requests and client data keys as SQLAlchemy Core sees them.

Made by migrations 0003 and 0005, never by `create_all`; this must match them.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventstore.schema import JsonDocument

metadata = sa.MetaData()
Moment = sa.DateTime(timezone=True)

organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", Moment, nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("coach_id", sa.String(100)),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("last_used_at", Moment),
    sa.Column("revoked_at", Moment),
    sa.CheckConstraint("role IN ('admin', 'coach', 'auditor')", name="ck_api_keys_role"),
    sa.CheckConstraint("(role = 'coach') = (coach_id IS NOT NULL)", name="ck_api_keys_coach"),
    sa.Index("uq_api_keys_key_hash", "key_hash", unique=True),
    sa.Index("ix_api_keys_organisation", "organisation_id", "created_at"),
)

idempotent_requests = sa.Table(
    "idempotent_requests",
    metadata,
    sa.Column("organisation_id", sa.String(36), nullable=False),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.Integer),
    sa.Column("body", sa.Text),
    sa.Column("headers", JsonDocument),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("completed_at", Moment),
    sa.PrimaryKeyConstraint("organisation_id", "key", name="pk_idempotent_requests"),
)


client_keys = sa.Table(
    "client_keys",
    metadata,
    sa.Column("client_id", sa.String(100), primary_key=True),
    sa.Column("wrapped_key", sa.LargeBinary),  # NULL once destroyed (the client was forgotten)
    sa.Column("master_key_id", sa.String(16), nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("forgotten_at", Moment),
    sa.Column("forgotten_by", sa.String(200)),
    sa.CheckConstraint(
        "(wrapped_key IS NULL) = (forgotten_at IS NOT NULL)",
        name="ck_client_keys_destroyed_when_forgotten",
    ),
)
