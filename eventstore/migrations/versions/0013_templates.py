"""Programme templates: versioned templates per organisation, and which client applied which version.

`templates` holds each template (its organisation, name, role, status active
or retired, current version, when created and retired); `template_versions`
every version's body as written (JSON), when, by whom and why: nothing is
overwritten. `template_applications` is the rebuildable view of the
`TemplateApplied` events (ids only), read when a revision lists the clients
whose plans came from an earlier version.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = JSONB() if op.get_bind().dialect.name == "postgresql" else sa.JSON()
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "templates",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("retired_at", moment),
    )
    op.create_index("ix_templates_organisation", "templates", ["organisation_id", "id"])
    op.create_table(
        "template_versions",
        sa.Column("template_id", sa.String(36), sa.ForeignKey("templates.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", json, nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.PrimaryKeyConstraint("template_id", "version", name="pk_template_versions"),
    )
    op.create_table(
        "template_applications",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("template_id", sa.String(36), nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("applied_at", moment, nullable=False),
        sa.Column("requirement_ids", json, nullable=False),
        sa.Column("goal_ids", json, nullable=False),
    )
    op.create_index(
        "ix_template_applications_template",
        "template_applications",
        ["template_id", "template_version"],
    )


def downgrade() -> None:
    op.drop_index("ix_template_applications_template", table_name="template_applications")
    op.drop_table("template_applications")
    op.drop_table("template_versions")
    op.drop_index("ix_templates_organisation", table_name="templates")
    op.drop_table("templates")
