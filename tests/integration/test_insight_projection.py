"""The insights projection on a real database: incremental = rebuild, check, and SQL = the views' definitions."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_histories import Clock, context, enrol_seed_client, try_step

from careerplan.seed_example import GOAL_KEYS, seed_id
from domain.alignment_policy import AlignmentPolicy
from domain.commands import RecordAlignmentCheck, RecordCheckIn
from eventstore import EventStore
from eventstore.schema import events
from projections import momentum, queries
from projections.client_projection import ClientViewProjection
from projections.insight_tables import LIVE_INSIGHTS
from projections.insights import InsightsProjection
from projections.rebuild import check, rebuild
from projections.runner import ProjectionRunner
from services.insights import compute
from services.insights.scope import Scope
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec


def caught_up(runner: ProjectionRunner, engine, seconds: float = 60.0) -> None:
    """Catch up with every event written, once the feed lets a follower read them all: another
    suite's open transaction on the same cluster holds the feed's horizon back (pg_snapshot_xmin
    is cluster-wide), and a rebuild after it moved would see more than the catch-up did."""
    with engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(events.c.position))).scalar_one()
    deadline = time.monotonic() + seconds
    while runner.store.head().position != last and time.monotonic() < deadline:
        time.sleep(0.1)
    assert runner.store.head().position == last, "the feed's horizon stayed behind"
    runner.catch_up()


def rows(engine) -> dict:
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(r) for r in conn.execute(sa.select(table)).all())
            for table in LIVE_INSIGHTS.all
        }


@pytest.mark.postgres
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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
        max_size=30,
    ),
    batch=st.integers(1, 25),
)
def test_incremental_insight_rows_equal_a_full_rebuild(postgres_engine, steps, batch):
    store = EventStore(postgres_engine, domain_codec())
    try:
        clock = Clock()
        plans = CareerPlans(store, clock)
        runner = ProjectionRunner(postgres_engine, store, [InsightsProjection()], batch_size=batch)
        clients = [enrol_seed_client(plans, clock) for _ in range(3)]
        for who, op, value, days, catch_up in steps:
            try_step(plans, clock, clients[who], op, value, days)
            if catch_up:
                runner.catch_up()
        caught_up(runner, postgres_engine)

        incremental = rows(postgres_engine)
        assert check(postgres_engine, store).identical
        rebuild(postgres_engine, store, InsightsProjection())
        assert rows(postgres_engine) == incremental
        assert len(incremental["insight_clients"]) >= 3 and incremental["insight_goals"]
    finally:
        store.close()  # its autocommit pool: one per example otherwise


def goal_rows_in_place(engine) -> dict[str, str]:
    """Each insight goal row's physical place (ctid): it moves when the row is deleted and inserted."""
    goals = LIVE_INSIGHTS.goals
    with engine.connect() as conn:
        query = sa.select(goals.c.goal_id, sa.literal_column("ctid::text"))
        return dict(conn.execute(query).all())


@pytest.mark.postgres
def test_a_batch_rewrites_only_the_fact_rows_it_changes(postgres_engine):
    """A re-alignment check changes a client's state but none of its goal rows: they stay in place;
    a check-in changes a goal's row, and the client's goal rows are written again."""
    store, clock = EventStore(postgres_engine, domain_codec()), Clock()
    try:
        plans = CareerPlans(store, clock)
        client = enrol_seed_client(plans, clock)
        runner = ProjectionRunner(postgres_engine, store, [InsightsProjection()])
        caught_up(runner, postgres_engine)
        placed = goal_rows_in_place(postgres_engine)

        clock.now += timedelta(days=30)
        check = RecordAlignmentCheck(check_id="check-1", policy=AlignmentPolicy())
        plans.execute(client, check, context())
        caught_up(runner, postgres_engine)
        assert goal_rows_in_place(postgres_engine) == placed
        assert check_rows(postgres_engine, store)

        goal = seed_id(client, "goal", GOAL_KEYS[0])
        plans.execute(
            client, RecordCheckIn(goal_id=goal, check_in_id="c", confidence=7, value=3.0), context()
        )
        caught_up(runner, postgres_engine)
        moved = goal_rows_in_place(postgres_engine)
        assert moved.keys() == placed.keys() and moved != placed
        assert check_rows(postgres_engine, store)
    finally:
        store.close()


def check_rows(engine, store) -> bool:
    """The insight rows are those a rebuild writes."""
    return check(engine, store).identical


def test_check_reports_an_insight_row_that_drifted(engine):
    store, clock = EventStore(engine, domain_codec()), Clock()
    client = enrol_seed_client(CareerPlans(store, clock), clock)
    ProjectionRunner(engine, store, [InsightsProjection()]).catch_up()
    assert check(engine, store).identical

    with engine.begin() as conn:
        conn.execute(LIVE_INSIGHTS.goals.update().values(status="dropped"))

    report = check(engine, store)
    assert any(
        line.startswith(f"insight_goals[{client}/") and "status" in line
        for line in report.differences
    ), report.differences[:5]


def test_the_sql_figures_judge_as_the_caseload_and_momentum_do(engine):
    """Over random histories: needing attention = caseload score > 0, trend = momentum's, stalled = momentum's."""
    store, clock = EventStore(engine, domain_codec()), Clock()
    plans = CareerPlans(store, clock)
    clients = [enrol_seed_client(plans, clock) for _ in range(4)]
    for n in range(60):
        try_step(plans, clock, clients[n % 4], op=(n * 7) % 10, value=n, days=n % 3)
    runner = ProjectionRunner(engine, store, [ClientViewProjection(), InsightsProjection()])
    runner.catch_up()
    for days_later in (0, 25, 60):
        today = clock.now.date() + timedelta(days=days_later)
        scope = Scope("org-a", today.toordinal() - 3650, today.toordinal())
        found = compute(engine, LIVE_INSIGHTS, scope)
        with engine.connect() as conn:
            ranked = queries.caseload_of(conn, "org-a", today)
            views = [queries.client_view(conn, "org-a", c) for c in clients]
        needing = sum(entry["score"] > 0 for entry in ranked)
        assert sum(row["needing_attention"] for row in found["attention"]) == needing
        # A coach's scope looks its clients' goals up client by client: the same judgement.
        coached = compute(engine, LIVE_INSIGHTS, replace(scope, coach_id="coach-1"))["attention"]
        assert coached and coached == [r for r in found["attention"] if r["coach_id"] == "coach-1"]
        trends = [momentum.trend(v["win_days"], today)["direction"] for v in views]
        assert found["momentum"]["trend_30d"] == {
            d: trends.count(d) for d in ("up", "flat", "down")
        }
        stalled = sum(len(momentum.stalled(v, today)) for v in views)
        assert found["goals"]["stalled"] == stalled
