"""Migration 0008 on both databases: the free-text coach ids in use become coach records.

A database at 0007 is filled as the service had filled it (clients enrolled
and reassigned by events, a view, a coach key); upgrading makes one active
coach per organisation and id, named after the id, and leaves the events as
they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from servers import unavailable

from domain import commands as c
from eventstore import EventStore
from eventstore.engine import make_engine
from eventstore.migrate import upgrade
from eventstore.schema import events
from projections.tables import LIVE
from services.access.tables import api_keys, organisations
from services.coaches.tables import coaches
from services.plans import CareerPlans, CommandContext
from services.plans.event_mapping import domain_codec

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_at_0007(request, tmp_path) -> Iterator[sa.Engine]:
    """A database migrated up to 0007 only, on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'events.db'}")
        upgrade(engine, "0007")
        yield engine
        engine.dispose()
        return
    database = request.getfixturevalue("postgres_database")
    if database is None:
        unavailable("PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with make_engine(database).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(database, connect_args={"options": f"-c search_path={schema}"})
    upgrade(engine, "0007")
    yield engine
    engine.dispose()
    with make_engine(database).begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def enrol(plans: CareerPlans, org: str, coach_id: str, *moves: str) -> str:
    client = str(uuid.uuid4())
    context = CommandContext(org, actor="test", correlation_id="migration")
    enrolment = c.EnrolClient(
        client_id=client,
        organisation_id=org,
        coach_id=coach_id,
        display_name="Sam",
        timezone="UTC",
    )
    plans.execute(client, enrolment, context)
    for move in moves:
        plans.execute(client, c.ReassignCoach(coach_id=move), context)
    return client


def test_every_coach_id_in_use_becomes_an_active_coach_of_its_organisation(engine_at_0007):
    engine = engine_at_0007
    with engine.begin() as conn:
        for org in ("org-a", "org-b"):
            conn.execute(organisations.insert().values(id=org, name=org, created_at=NOW))
        conn.execute(
            api_keys.insert().values(
                id=str(uuid.uuid4()),
                organisation_id="org-b",
                prefix="cp_abcdefg",
                key_hash="0" * 64,
                role="coach",
                coach_id="coach-with-a-key",
                created_at=NOW,
            )
        )
        conn.execute(
            LIVE.client_views.insert().values(
                client_id="view-only",
                organisation_id="org-a",
                coach_id="coach-in-a-view",
                version=1,
                view={},
            )
        )
    plans = CareerPlans(EventStore(engine, domain_codec()), clock=lambda: NOW)
    enrol(plans, "org-a", "coach-1", "coach-2")
    enrol(plans, "org-b", "coach-1")
    enrol(plans, "org-gone", "coach-of-nobody")  # no such organisation any more: skipped
    with engine.connect() as conn:
        before = conn.execute(sa.select(events.c.position, events.c.data)).all()

    upgrade(engine)

    with engine.connect() as conn:
        rows = conn.execute(sa.select(coaches).order_by(coaches.c.organisation_id, coaches.c.id))
        found = [(r.organisation_id, r.id, r.name, r.email, r.active) for r in rows]
        assert conn.execute(sa.select(events.c.position, events.c.data)).all() == before
    assert found == [
        ("org-a", "coach-1", "coach-1", None, True),
        ("org-a", "coach-2", "coach-2", None, True),
        ("org-a", "coach-in-a-view", "coach-in-a-view", None, True),
        ("org-b", "coach-1", "coach-1", None, True),
        ("org-b", "coach-with-a-key", "coach-with-a-key", None, True),
    ]


def test_an_empty_database_migrates_to_an_empty_roster(engine_at_0007):
    upgrade(engine_at_0007)
    with engine_at_0007.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(coaches)).scalar_one() == 0
