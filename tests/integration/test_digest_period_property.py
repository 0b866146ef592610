"""Property: a week's digest, made at any later time, is the digest of the facts that occurred by the week's end."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from coaches_support import add_coaches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_histories import START, Clock, context, enrol_seed_client, random_step
from settings_support import TEST_MASTER_KEY

from careerplan.bootstrap import bootstrap
from careerplan.settings import Settings
from domain.dates import end_of_day
from domain.errors import DomainError
from projections import client_view
from services.digests import client_digest, period_for
from services.digests import generation as digest_generation
from services.digests import runs as digest_runs
from services.digests.tables import digests
from services.plans.event_mapping import stream_id

STEPS = st.lists(
    st.tuples(st.integers(0, 10), st.integers(0, 40), st.integers(0, 3), st.integers(0, 2)),
    max_size=18,
)


@pytest.fixture
def services(engine):
    clock = Clock()
    built = bootstrap(
        Settings(
            database_url=str(engine.url),
            migrate_on_start=False,
            api_key_secret="x" * 32,
            master_key=TEST_MASTER_KEY,
        ),
        engine=engine,
        clock=clock,
    )
    yield built
    built.store.close()


def reference_digest(services, client: str, start, end, until: datetime) -> dict:
    """Fold only the facts that occurred by `until`, as recorded by now, and compose the week's digest."""
    view = client_view.new_view(client)
    for event in services.store.read_stream(stream_id(client)):
        if datetime.fromisoformat(event.data["occurred_at"]) <= until:
            client_view.apply(view, event)
    return client_digest(view, end, start, end)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS, week=st.integers(0, 3), later_days=st.integers(1, 20))
def test_a_weeks_digest_made_later_equals_the_digest_of_what_occurred_by_its_end(
    services, steps, week, later_days
):
    org, clock = f"org-{uuid.uuid4().hex[:24]}", services.clock
    add_coaches(services, org, "coach-0", "coach-1", "coach-2")  # all random_step reassigns to
    clock.now = START
    client = enrol_seed_client(services.plans, clock, org)
    for op, value, days, back_days in steps:  # everyday commands, some back-dated by up to two days
        clock.now += timedelta(days=days, hours=5)
        command = dataclasses.replace(
            random_step(client, op, value), occurred_at=clock.now - timedelta(days=back_days)
        )
        try:
            services.plans.execute(client, command, context(org))
        except DomainError:
            pass
    start, end, key = period_for("weekly", START.date() + timedelta(weeks=week + 1))
    until = end_of_day(end, "UTC")
    clock.now = max(clock.now, until) + timedelta(days=later_days)
    services.projections.catch_up()

    run_id = digest_runs.start_run(
        services.engine, org, "weekly", clock.now, today=end + timedelta(days=1)
    )
    digest_generation.generate_client_digests(services.engine, services.store, run_id, [client])

    with services.engine.connect() as conn:
        content = conn.execute(
            sa.select(digests.c.content).where(
                digests.c.subject == f"client:{client}", digests.c.period_key == key
            )
        ).scalar_one()
    assert content == reference_digest(services, client, start, end, until)
