"""Coaches as records: each organisation's roster, and the free-text coach ids made into coaches.

Until now a coach was whatever string a client's enrolment, reassignment or a
coach key named. This revision creates `coaches` (id unique per organisation,
email unique per organisation) and turns every coach id already in use into an
active coach whose name is the id and whose email is empty: the ids in the
client views, in coach keys, and in the events' enrolments and reassignments
(read only: events are never changed, so a view not built yet loses nothing).
Ids of organisations that no longer exist are skipped (the foreign key).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

MAX_ID = 100


def upgrade() -> None:
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "coaches",
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "id", name="pk_coaches"),
    )
    op.create_index("uq_coaches_email", "coaches", ["organisation_id", "email"], unique=True)
    conn = op.get_bind()
    organisations = _organisations(conn)
    found = {pair for pair in _coach_ids_in_use(conn) if pair[0] in organisations}
    now = datetime.now(timezone.utc)
    rows = [
        {
            "organisation_id": organisation_id,
            "id": coach_id,
            "name": coach_id[:200],
            "email": None,
            "active": True,
            "created_at": now,
            "updated_at": now,
        }
        for organisation_id, coach_id in sorted(found)
        if coach_id and len(coach_id) <= MAX_ID
    ]
    if rows:
        columns = [sa.column(n, sa.String) for n in ("organisation_id", "id", "name", "email")]
        columns += [sa.column("active", sa.Boolean)]
        columns += [sa.column(n, moment) for n in ("created_at", "updated_at")]
        op.bulk_insert(sa.table("coaches", *columns), rows)


def _organisations(conn) -> set[str]:
    """The organisations that exist: a coach id of any other is skipped."""
    return {row.id for row in conn.execute(sa.text("SELECT id FROM organisations"))}


def _coach_ids_in_use(conn) -> set[tuple[str, str]]:
    """(organisation, coach id) of every coach the views, coach keys and events name."""
    pairs = {
        (row.organisation_id, row.coach_id)
        for row in conn.execute(
            sa.text("SELECT DISTINCT organisation_id, coach_id FROM client_views")
        )
    }
    pairs |= {
        (row.organisation_id, row.coach_id)
        for row in conn.execute(
            sa.text(
                "SELECT DISTINCT organisation_id, coach_id FROM api_keys WHERE coach_id IS NOT NULL"
            )
        )
    }
    json = JSONB() if conn.dialect.name == "postgresql" else sa.JSON()
    events = sa.table(
        "events", sa.column("type"), sa.column("data", json), sa.column("metadata", json)
    )
    query = sa.select(events.c.type, events.c.data, events.c.metadata).where(
        events.c.type.in_(("ClientEnrolled", "CoachReassigned"))
    )
    for event in conn.execute(query):
        organisation_id = (event.metadata or {}).get("organisation_id")
        if event.type == "ClientEnrolled":
            organisation_id = event.data.get("organisation_id", organisation_id)
            named = [event.data.get("coach_id")]
        else:
            named = [event.data.get("old_coach_id"), event.data.get("new_coach_id")]
        pairs |= {(organisation_id, c) for c in named if isinstance(c, str) and organisation_id}
    return pairs


def downgrade() -> None:
    op.drop_index("uq_coaches_email", table_name="coaches")
    op.drop_table("coaches")
