"""Projections on a real database: exactly-once checkpoints, rebuild (one process or two workers) == incremental, check."""

from __future__ import annotations

import functools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_histories import Clock, enrol_seed_client, try_step

import projections.rebuild as rebuild_module
import projections.runner as runner_module
from eventstore import EventStore
from eventstore.engine import make_engine
from projections.client_projection import ClientViewProjection
from projections.rebuild import check, rebuild
from projections.runner import ProjectionRunner
from projections.tables import LIVE
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec


@pytest.fixture
def world(engine):
    store = EventStore(engine, domain_codec())
    clock = Clock()
    runner = ProjectionRunner(engine, store, [ClientViewProjection()], batch_size=7)
    return store, clock, CareerPlans(store, clock), runner


def views(engine) -> dict:
    with engine.connect() as conn:
        return {
            table.name: {tuple(r)[0]: tuple(r) for r in conn.execute(sa.select(table)).all()}
            for table in LIVE.all
        }


def test_runner_catches_up_and_reports_lag(world, engine):
    store, clock, plans, runner = world
    client = enrol_seed_client(plans, clock)

    assert runner.lag()["client_views"] == store.count_after()
    runner.catch_up()

    assert runner.lag() == {"client_views": 0}
    row = views(engine)["client_views"][client]
    assert row[1] == "org-a" and row[3] == len(store.read_stream(f"client-{client}"))


def test_a_crash_between_view_update_and_checkpoint_counts_nothing_twice(
    world, engine, monkeypatch
):
    store, clock, plans, runner = world
    client = enrol_seed_client(plans, clock)
    for n in range(6):
        try_step(plans, clock, client, op=0, value=n, days=2)  # check-ins
    real_save = runner_module.save_checkpoint
    saves = []

    def crash_after_the_second_view_update(conn, name, cursor):
        saves.append(cursor)
        if len(saves) == 2:
            raise RuntimeError("killed between view update and checkpoint")
        real_save(conn, name, cursor)

    monkeypatch.setattr(runner_module, "save_checkpoint", crash_after_the_second_view_update)
    runner.run_once(runner.projections[0])  # the first batch lands
    with pytest.raises(RuntimeError):
        runner.run_once(runner.projections[0])  # the second is applied, then the process "dies"
    assert runner.checkpoint("client_views") == saves[0]
    runner.catch_up()  # resumes after the crash

    incremental = views(engine)
    rebuild(engine, store, ClientViewProjection())
    assert views(engine) == incremental
    assert runner.lag() == {"client_views": 0}


@pytest.mark.postgres
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 10),
            st.integers(0, 50),
            st.integers(0, 9),
            st.booleans(),
        ),
        max_size=40,
    ),
    batch=st.integers(1, 25),
)
def test_incremental_views_equal_a_full_rebuild(postgres_engine, steps, batch):
    store = EventStore(postgres_engine, domain_codec())
    clock = Clock()
    plans = CareerPlans(store, clock)
    runner = ProjectionRunner(postgres_engine, store, [ClientViewProjection()], batch_size=batch)
    clients = [enrol_seed_client(plans, clock) for _ in range(3)]
    for who, op, value, days, catch_up in steps:
        try_step(plans, clock, clients[who], op, value, days)
        if catch_up:
            runner.catch_up()
    runner.catch_up()

    incremental = views(postgres_engine)
    assert check(postgres_engine, store).identical
    rebuild(postgres_engine, store, ClientViewProjection())
    assert views(postgres_engine) == incremental
    with postgres_engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    url = postgres_engine.url.render_as_string(hide_password=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rebuild_module, "RANGE_STREAMS", 1)  # a range per client
        rebuild(
            postgres_engine,
            store,
            ClientViewProjection(),
            workers=2,
            open_store=functools.partial(open_store, url, schema),
        )
    assert views(postgres_engine) == incremental


def open_store(url: str, schema: str) -> EventStore:
    """A rebuild worker's own store on the test's schema (module level: spawned workers import it)."""
    return EventStore(
        make_engine(url, connect_args={"options": f"-c search_path={schema}"}), domain_codec()
    )


def test_check_reports_a_view_row_that_drifted(world, engine):
    store, clock, plans, runner = world
    client = enrol_seed_client(plans, clock)
    runner.catch_up()
    assert check(engine, store).identical

    with engine.begin() as conn:
        conn.execute(LIVE.caseload_rows.update().values(display_name="Tampered"))

    report = check(engine, store)
    assert not report.identical
    assert any(client in line and "display_name" in line for line in report.differences)
