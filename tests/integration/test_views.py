"""The read side over a real store: the seed client's roadmap, momentum, caseload and history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_histories import Clock, context, enrol_seed_client

from careerplan.seed_example import GOAL_KEYS, seed_id
from domain import commands as c
from domain.values import TermsPatch
from eventstore import EventStore
from projections import queries
from projections.client_projection import ClientViewProjection
from projections.runner import ProjectionRunner
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec


@pytest.fixture
def seeded(engine):
    store = EventStore(engine, domain_codec())
    clock = Clock()
    plans = CareerPlans(store, clock)
    client = enrol_seed_client(plans, clock)
    runner = ProjectionRunner(engine, store, [ClientViewProjection()])
    runner.catch_up()
    return engine, store, clock, plans, runner, client


def test_seed_client_roadmap_matches_the_seed_table(seeded):
    engine, _, clock, _, _, client = seeded
    with engine.connect() as conn:
        view = queries.client_view(conn, "org-a", client)
    placed = {
        frame["name"]: [g["goal_id"] for g in frame["goals"]]
        for frame in queries.roadmap_of(view, clock.now.date())["timeframes"]
    }
    goal = {key: seed_id(client, "goal", key) for key in GOAL_KEYS}
    assert placed["next 3 months"] == [goal["system-design"]]
    assert placed["3–12 months"] == [goal["lead-feature"]]
    assert placed["year 2"] == [goal["mentor"]]
    assert placed["years 3–4"] == [goal["initiative"]]


def test_views_are_per_organisation(seeded):
    engine, _, _, _, _, client = seeded
    with engine.connect() as conn:
        assert queries.client_view(conn, "org-b", client) is None
        assert queries.caseload_of(conn, "org-b", today=None) == []


def test_caseload_ranks_a_stalled_client_first(seeded):
    engine, _, clock, plans, runner, quiet = seeded
    busy = enrol_seed_client(plans, clock)
    clock.now += timedelta(days=40)
    goal = seed_id(busy, "goal", GOAL_KEYS[0])
    plans.execute(
        busy, c.RecordCheckIn(goal_id=goal, check_in_id="ci-x", confidence=8, value=3.0), context()
    )
    runner.catch_up()
    with engine.connect() as conn:
        ranked = queries.caseload_of(conn, "org-a", clock.now.date())
    assert [entry["client_id"] for entry in ranked][0] == quiet


def test_history_pages_describe_each_change(seeded):
    engine, store, clock, plans, runner, client = seeded
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    plans.execute(client, c.RefineGoal(goal_id=goal, changes=TermsPatch(confidence=9)), context())
    runner.catch_up()
    with engine.connect() as conn:
        view = queries.client_view(conn, "org-a", client)

    first = queries.history_page(store, view, client, limit=5)
    assert len(first.entries) == 5 and first.next_version == 5
    refined = queries.history_page(store, view, client, types=("GoalRefined",))
    (entry,) = refined.entries
    assert "7 → 9" in entry["description"] and entry["metadata"]["organisation_id"] == "org-a"
    assert refined.next_version is None
