"""Digests true to their period: the organisation's time zone, and provisional runs and digests.

A period ends at midnight in the organisation's time zone
(`organisation_policies.timezone`, an IANA name, "UTC" by default). A run
asked for before its period has ended is `provisional`, and so are its
digests; the period's real run is a second run of the same period (the
runs' unique key gains `provisional`) whose digests replace the provisional
ones.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "organisation_policies",
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
    )
    with op.batch_alter_table("digest_runs") as batch:
        batch.add_column(
            sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.drop_constraint("uq_digest_runs_period", type_="unique")
        batch.create_unique_constraint(
            "uq_digest_runs_period", ["organisation_id", "kind", "period_key", "provisional"]
        )
    op.add_column(
        "digests", sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("digests", "provisional")
    op.execute(
        "DELETE FROM digest_run_items WHERE run_id IN (SELECT run_id FROM digest_runs WHERE provisional)"
    )
    op.execute("DELETE FROM digest_runs WHERE provisional")
    with op.batch_alter_table("digest_runs") as batch:
        batch.drop_constraint("uq_digest_runs_period", type_="unique")
        batch.create_unique_constraint(
            "uq_digest_runs_period", ["organisation_id", "kind", "period_key"]
        )
        batch.drop_column("provisional")
    op.drop_column("organisation_policies", "timezone")
