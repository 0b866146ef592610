"""Read views of the career plans and the checkpoints of the projections that fill them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = JSONB() if op.get_bind().dialect.name == "postgresql" else sa.JSON()
    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("tx_id", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_table(
        "client_views",
        sa.Column("client_id", sa.String(100), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("coach_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("view", json, nullable=False),
    )
    op.create_index("ix_client_views_organisation", "client_views", ["organisation_id", "coach_id"])
    op.create_table(
        "caseload_rows",
        sa.Column("client_id", sa.String(100), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("coach_id", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("row", json, nullable=False),
    )
    op.create_index(
        "ix_caseload_rows_organisation", "caseload_rows", ["organisation_id", "coach_id"]
    )


def downgrade() -> None:
    op.drop_table("caseload_rows")
    op.drop_table("client_views")
    op.drop_table("projection_checkpoints")
