"""A command's inline view refresh: up to its own events, and no further work once another runner got there."""

from __future__ import annotations

import threading

import pytest
from plan_histories import Clock, context, enrol_seed_client

from domain import commands as c
from eventstore import EventStore
from projections import queries
from projections import runner as runner_module
from projections.client_projection import ClientViewProjection
from projections.runner import ProjectionRunner, lock_checkpoint
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec


@pytest.fixture
def world(engine):
    store = EventStore(engine, domain_codec())
    clock = Clock()
    yield (
        store,
        CareerPlans(store, clock),
        ProjectionRunner(engine, store, [ClientViewProjection()]),
        clock,
    )
    store.close()


def test_catching_up_to_a_command_applies_its_events(world, engine):
    store, plans, runner, clock = world
    client = enrol_seed_client(plans, clock)
    result = plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())

    assert runner.refresh_to(result.events[-1].cursor)
    with engine.connect() as conn:
        view = queries.client_view(conn, "org-a", client)
    assert view["version"] == result.version and view["client"]["coach_id"] == "coach-2"


def test_a_projection_already_past_the_events_reads_nothing(world, monkeypatch):
    store, plans, runner, clock = world
    client = enrol_seed_client(plans, clock)
    result = plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())
    runner.catch_up()  # another runner (the follower, another request) applied them

    def no_reading(*args, **kwargs):
        raise AssertionError("the feed was read although the views were already past the events")

    monkeypatch.setattr(store, "read_all", no_reading)
    assert runner.run_once(runner.projections[0], until=result.events[0].cursor) == 0
    assert runner.refresh_to(result.events[-1].cursor)


def test_a_refresh_another_thread_made_spares_the_database(world, engine, monkeypatch):
    store, plans, runner, clock = world
    client = enrol_seed_client(plans, clock)
    first = plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())
    second = plans.execute(client, c.ReassignCoach(coach_id="coach-3"), context())
    assert runner.refresh_to(second.events[-1].cursor)  # applies both commands' events

    def no_transaction(*args, **kwargs):
        raise AssertionError("a refresh opened a transaction for events already applied")

    monkeypatch.setattr(runner, "run_once", no_transaction)
    assert runner.refresh_to(first.events[-1].cursor)
    assert runner.reached("client_views") >= second.events[-1].cursor


def test_a_refresh_stops_when_its_events_are_not_readable_yet(world, monkeypatch):
    store, plans, runner, clock = world
    client = enrol_seed_client(plans, clock)
    result = plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())
    runner.catch_up()
    monkeypatch.setattr(
        store, "read_all", lambda *args, **kwargs: []
    )  # as if an older transaction were open

    beyond = type(result.events[-1].cursor)(
        result.events[-1].tx_id + 1, result.events[-1].position + 1
    )
    assert runner.refresh_to(beyond, max_batches=3) is False


def test_the_follower_still_follows_the_whole_feed_after_a_refresh(world):
    store, plans, runner, clock = world
    first = enrol_seed_client(plans, clock)
    early = plans.execute(first, c.ReassignCoach(coach_id="coach-2"), context())
    enrol_seed_client(plans, clock)

    assert runner.refresh_to(early.events[-1].cursor)
    runner.catch_up()
    assert runner.lag() == {"client_views": 0}


@pytest.mark.postgres
def test_a_refresh_does_not_wait_out_a_rebuild_holding_the_checkpoint(postgres_engine, monkeypatch):
    """A rebuild holds the checkpoint for minutes: a read's refresh gives up after a bounded wait, then succeeds."""
    store = EventStore(postgres_engine, domain_codec())
    clock = Clock()
    plans, runner = (
        CareerPlans(store, clock),
        ProjectionRunner(postgres_engine, store, [ClientViewProjection()]),
    )
    monkeypatch.setattr(runner_module, "INLINE_WAIT_SECONDS", 0.2)
    client = enrol_seed_client(plans, clock)
    result = plans.execute(client, c.ReassignCoach(coach_id="coach-2"), context())
    outcome: list[bool] = []
    try:
        with postgres_engine.begin() as rebuilding:
            lock_checkpoint(rebuilding, "client_views")
            refreshing = threading.Thread(
                target=lambda: outcome.append(runner.refresh_to(result.events[-1].cursor))
            )
            refreshing.start()
            refreshing.join(timeout=10)
            assert not refreshing.is_alive(), (
                "the refresh waited for as long as the checkpoint was held"
            )
            assert outcome == [False]
        assert runner.refresh_to(result.events[-1].cursor)  # once the checkpoint is free, as before
    finally:
        store.close()
