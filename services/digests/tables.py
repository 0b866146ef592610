"""The digest tables: runs of a period, their items (one per subject), and the stored digests."""

import sqlalchemy as sa

from eventstore.schema import JsonDocument

metadata = sa.MetaData()

digest_runs = sa.Table(
    "digest_runs",
    metadata,
    sa.Column("run_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(40), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("clients_finished_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint(
        "organisation_id", "kind", "period_key", "provisional", name="uq_digest_runs_period"
    ),
)

digest_run_items = sa.Table(
    "digest_run_items",
    metadata,
    sa.Column("run_id", sa.String(36), primary_key=True),
    sa.Column("subject", sa.String(120), primary_key=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("error", sa.Text),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    # "Is any client item still pending?" reads one index entry (migration 0016).
    sa.Index("ix_digest_run_items_status", "run_id", "status", "subject"),
)

digests = sa.Table(
    "digests",
    metadata,
    sa.Column("digest_id", sa.String(36), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("subject", sa.String(120), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(40), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("content", JsonDocument, nullable=False),
    sa.Column("markdown", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint(
        "organisation_id", "subject", "kind", "period_key", name="uq_digests_period"
    ),
)
