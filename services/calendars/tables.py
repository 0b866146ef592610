"""The calendar feed tokens as SQLAlchemy Core sees them.

Made by migration 0011, never by `create_all`; this must match it. One row per
organisation and subject (a coach id or a client id): only the token's HMAC is
kept, so a stolen table opens no feed; rotating replaces it in place.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
Moment = sa.DateTime(timezone=True)

calendar_feeds = sa.Table(
    "calendar_feeds",
    metadata,
    sa.Column("organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("subject_kind", sa.String(10), nullable=False),
    sa.Column("subject_id", sa.String(100), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("rotated_at", Moment, nullable=False),
    sa.PrimaryKeyConstraint(
        "organisation_id", "subject_kind", "subject_id", name="pk_calendar_feeds"
    ),
    sa.Index("uq_calendar_feeds_token_hash", "token_hash", unique=True),
)
