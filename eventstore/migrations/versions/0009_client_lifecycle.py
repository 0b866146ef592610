"""Client lifecycle: the views record whether each client is active or archived.

`status` on `client_views` and `caseload_rows` lets the client list, the
caseload, digest runs and re-alignment sweeps leave archived clients out in
SQL. No client could be archived before this revision, so every existing row
is active (the default); a rebuild gives the same.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("client_views", "caseload_rows")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("status", sa.String(20), nullable=False, server_default="active")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("status")
