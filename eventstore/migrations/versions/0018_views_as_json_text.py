"""The views' documents stored as JSON text (`json`), not `jsonb`.

A client view, a caseload row and a client's insight state are only ever
written whole and read whole (no SQL looks inside them), and reading a
`jsonb` document means printing it back into text: for a coach's caseload
of 500 rows that was about 10 ms of the server's time per read, against
about 3 ms for the same documents kept as text. Writing them is cheaper
too (no conversion to the binary form).
SQLite keeps its JSON text as before.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DOCUMENTS = (("client_views", "view"), ("caseload_rows", "row"), ("insight_clients", "state"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in DOCUMENTS:
            op.execute(
                f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE json USING "{column}"::json'
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in DOCUMENTS:
            op.execute(
                f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE jsonb USING "{column}"::jsonb'
            )
