"""The read tables as SQLAlchemy Core sees them (made by the Alembic migrations).

`view_tables(prefix)` describes the same layout under another name, so a check
can rebuild into scratch copies and compare them with the live views.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eventstore.schema import JsonDocument, JsonText

metadata = sa.MetaData()

checkpoints = sa.Table(
    "projection_checkpoints",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("tx_id", sa.BigInteger, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

# Which client applied which template version (projections.template_applications): ids only.
template_applications = sa.Table(
    "template_applications",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("client_id", sa.String(100), nullable=False),
    sa.Column("template_id", sa.String(36), nullable=False),
    sa.Column("template_version", sa.Integer, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("requirement_ids", JsonDocument, nullable=False),
    sa.Column("goal_ids", JsonDocument, nullable=False),
    sa.Index("ix_template_applications_template", "template_id", "template_version"),
)


@dataclass(frozen=True)
class ViewTables:
    """The tables one client-view projection writes."""

    client_views: sa.Table
    caseload_rows: sa.Table

    @property
    def all(self) -> tuple[sa.Table, ...]:
        return (self.client_views, self.caseload_rows)


def view_tables(prefix: str = "", meta: sa.MetaData | None = None) -> ViewTables:
    """The view tables, named `<prefix>client_views` and `<prefix>caseload_rows`."""
    meta = meta if meta is not None else sa.MetaData()
    return ViewTables(
        client_views=sa.Table(
            f"{prefix}client_views",
            meta,
            sa.Column("client_id", sa.String(100), primary_key=True),
            sa.Column("organisation_id", sa.String(100), nullable=False),
            sa.Column("coach_id", sa.String(100), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("view", JsonText, nullable=False),
            sa.Column("status", sa.String(20), nullable=False, server_default="active"),
            sa.Index(f"ix_{prefix}client_views_organisation", "organisation_id", "coach_id"),
        ),
        caseload_rows=sa.Table(
            f"{prefix}caseload_rows",
            meta,
            sa.Column("client_id", sa.String(100), primary_key=True),
            sa.Column("organisation_id", sa.String(100), nullable=False),
            sa.Column("coach_id", sa.String(100), nullable=False),
            sa.Column("display_name", sa.String(200), nullable=False),
            sa.Column("row", JsonText, nullable=False),
            sa.Column("status", sa.String(20), nullable=False, server_default="active"),
            sa.Index(f"ix_{prefix}caseload_rows_organisation", "organisation_id", "coach_id"),
        ),
    )


LIVE = view_tables(meta=metadata)
