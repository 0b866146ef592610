"""Organisations (the tenants), their API keys, and replayable command requests.

An API key is stored only as HMAC-SHA256(server secret, key): indexable for
a lookup per request, useless without the secret. `idempotent_requests` keeps,
per organisation and Idempotency-Key, the fingerprint of the first request and
(once it succeeded) its response, so a retry gets the same answer; its primary
key is what makes two racing first requests agree on one winner.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = JSONB() if op.get_bind().dialect.name == "postgresql" else sa.JSON()
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", moment, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("coach_id", sa.String(100), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("last_used_at", moment, nullable=True),
        sa.Column("revoked_at", moment, nullable=True),
        sa.CheckConstraint("role IN ('admin', 'coach', 'auditor')", name="ck_api_keys_role"),
        sa.CheckConstraint("(role = 'coach') = (coach_id IS NOT NULL)", name="ck_api_keys_coach"),
    )
    op.create_index("uq_api_keys_key_hash", "api_keys", ["key_hash"], unique=True)
    op.create_index("ix_api_keys_organisation", "api_keys", ["organisation_id", "created_at"])
    op.create_table(
        "idempotent_requests",
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer, nullable=True),  # NULL while the first request runs
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("headers", json, nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("completed_at", moment, nullable=True),
        sa.PrimaryKeyConstraint("organisation_id", "key", name="pk_idempotent_requests"),
    )


def downgrade() -> None:
    op.drop_table("idempotent_requests")
    op.drop_table("api_keys")
    op.drop_table("organisations")
