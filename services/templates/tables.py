"""Programme templates as SQLAlchemy Core sees them: the templates and every version of each.

Made by migration 0013, never by `create_all`; this must match it. A template
names its current version; each version's body is kept as it was written
(never overwritten), with who wrote it and why, so history is whole.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventstore.schema import JsonDocument

metadata = sa.MetaData()
Moment = sa.DateTime(timezone=True)

templates = sa.Table(
    "templates",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(200), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("current_version", sa.Integer, nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("retired_at", Moment),
    sa.Index("ix_templates_organisation", "organisation_id", "id"),
)

template_versions = sa.Table(
    "template_versions",
    metadata,
    sa.Column("template_id", sa.String(36), sa.ForeignKey("templates.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("body", JsonDocument, nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("note", sa.String(2000), nullable=False),
    sa.PrimaryKeyConstraint("template_id", "version", name="pk_template_versions"),
)
