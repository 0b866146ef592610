"""Coach records for tests: enrolments and coach keys name an active coach of the organisation.

Tests have long enrolled clients with coach ids such as "coach-1"; since coaches
are records, an organisation's roster must hold them first. `ROSTER` is the
roster every test organisation of the fixtures starts with. Tests that name an
organisation by a made-up id ("org-a") get its row too, as the roster needs one.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from services.access.tables import organisations

ROSTER = ("coach-1", "coach-2", "coach-3")
TEST_ORGANISATIONS = (
    "org-a",
    "org-b",
    "org-1",
    "another-organisation",
)  # tenants tests name without creating them
_ORIGIN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def with_test_rosters(services):
    """`services` with the `ROSTER` (and coach-0, whom plan_histories reassigns to) on each of
    `TEST_ORGANISATIONS`: for tests that enrol clients there."""
    for organisation_id in TEST_ORGANISATIONS:
        add_coaches(services, organisation_id, "coach-0", *ROSTER)
    return services


def add_coaches(services, organisation_id: str, *coach_ids: str) -> None:
    """Put each coach id on the organisation's roster (active, named after the id), once."""
    with services.engine.begin() as conn:
        known = conn.execute(
            sa.select(organisations.c.id).where(organisations.c.id == organisation_id)
        ).first()
        if known is None:
            conn.execute(
                organisations.insert().values(
                    id=organisation_id, name=organisation_id, created_at=_ORIGIN
                )
            )
    existing = {c.coach_id for c in services.coaches.page(organisation_id, limit=1000).items}
    for coach_id in coach_ids or ROSTER:
        if coach_id not in existing:
            services.coaches.create(organisation_id, f"Coach {coach_id}", coach_id=coach_id)
