"""Calendar feeds: one private iCalendar feed token per coach and per client.

`calendar_feeds` keeps, per organisation and subject (`coach` or `client`
and its id), the HMAC of the feed's token (never the token), when the feed
was first issued and when its token last changed. The unique index on the
hash is how an unauthenticated feed request finds its subject.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "calendar_feeds",
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("subject_kind", sa.String(10), nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("rotated_at", moment, nullable=False),
        sa.PrimaryKeyConstraint(
            "organisation_id", "subject_kind", "subject_id", name="pk_calendar_feeds"
        ),
    )
    op.create_index("uq_calendar_feeds_token_hash", "calendar_feeds", ["token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_calendar_feeds_token_hash", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
