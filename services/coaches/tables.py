"""The coaches of each organisation as SQLAlchemy Core sees them.

Made by migration 0008, never by `create_all`; this must match it. A coach's
id is the `coach_id` that events, views and coach keys have always named, so it
is unique per organisation only (two firms may both have a "coach-1").
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
Moment = sa.DateTime(timezone=True)

coaches = sa.Table(
    "coaches",
    metadata,
    sa.Column("organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("id", sa.String(100), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
    sa.PrimaryKeyConstraint("organisation_id", "id", name="pk_coaches"),
    sa.Index("uq_coaches_email", "organisation_id", "email", unique=True),
)
