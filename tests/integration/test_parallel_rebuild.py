"""A rebuild folded by worker processes: the views of one process and of incremental updates, exactly once.

The workers are real spawned processes, each opening its own store (and the
sealed personal fields) from the same database; the streams are cut into
one range per client so every range boundary is crossed.
"""

from __future__ import annotations

import functools
import os
import random
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from plan_histories import Clock, enrol_seed_client, try_step
from polling import eventually

import projections.rebuild as rebuild_module
from eventstore import EventStore, FeedCursor
from eventstore.engine import make_engine
from projections.client_projection import ClientViewProjection
from projections.insight_tables import LIVE_INSIGHTS
from projections.insights import InsightsProjection
from projections.rebuild import rebuild, rebuild_all
from projections.runner import ProjectionRunner, read_checkpoint
from projections.tables import LIVE, template_applications
from projections.template_applications import TemplateApplications
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec
from services.privacy.client_keys import ClientKeys
from services.privacy.sealing import ClientDataSealer

pytestmark = pytest.mark.postgres

MASTER_KEY = bytes(range(32))


def open_store(url: str, schema: str, fail: str | None = None) -> EventStore:
    """What each worker process calls: its own engine on the test's schema, sealing on.

    `fail`: "raise" makes every scan raise after its first batch, "exit" ends the
    worker process abruptly (as a kill would) at its first scan.
    """
    engine = make_engine(url, connect_args={"options": f"-c search_path={schema}"})
    store_class = {None: EventStore, "raise": RaisingStore, "exit": ExitingStore}[fail]
    return store_class(engine, domain_codec(ClientDataSealer(ClientKeys(engine, MASTER_KEY))))


class RaisingStore(EventStore):
    def scan_streams(self, up_to, batch_size=5000, **kwargs):
        yield from super().scan_streams(up_to, batch_size, **kwargs)
        raise RuntimeError("a worker failed mid-rebuild")


class ExitingStore(EventStore):
    def scan_streams(self, up_to, batch_size=5000, **kwargs):
        os._exit(3)
        yield []  # a generator, like the store's


@dataclass
class World:
    store: EventStore
    plans: CareerPlans
    clock: Clock
    runner: ProjectionRunner
    keys: ClientKeys
    clients: list[str]
    opener: functools.partial  # the worker store factory

    def step(self, client: str) -> None:
        """One more event of `client` (the first command its plan accepts), not yet in the views."""
        assert any(try_step(self.plans, self.clock, client, op, 4, 1) for op in range(11))
        self.settle()

    def settle(self) -> None:
        """Wait until the feed shows every stored event (another test's open transaction holds it back)."""
        with self.store.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
        assert eventually(lambda: self.store.count_after() == stored)


@pytest.fixture
def world(postgres_engine, monkeypatch):
    """Clients with varied histories, their views kept incrementally, and a worker store factory."""
    engine = postgres_engine
    with engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    url = engine.url.render_as_string(hide_password=False)
    keys = ClientKeys(engine, MASTER_KEY)
    store = EventStore(engine, domain_codec(ClientDataSealer(keys)))
    clock = Clock()
    plans = CareerPlans(store, clock)
    runner = ProjectionRunner(engine, store, [ClientViewProjection()], batch_size=9)
    rng = random.Random(19)
    clients = [enrol_seed_client(plans, clock) for _ in range(5)]
    for _ in range(60):
        try_step(plans, clock, rng.choice(clients), rng.randrange(11), rng.randrange(50), 2)
    world = World(
        store, plans, clock, runner, keys, clients, functools.partial(open_store, url, schema)
    )
    world.settle()
    runner.catch_up()
    monkeypatch.setattr(rebuild_module, "RANGE_STREAMS", 1)  # a range per client
    return world


def views(engine, tables=LIVE.all) -> dict:
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(r) for r in conn.execute(sa.select(table)).all())
            for table in tables
        }


EVERY_TABLE = (*LIVE.all, *LIVE_INSIGHTS.all, template_applications)


def every_projection() -> list:
    return [ClientViewProjection(), InsightsProjection(), TemplateApplications()]


def checkpoint(engine) -> FeedCursor:
    with engine.connect() as conn:
        return read_checkpoint(conn, "client_views")


def test_two_workers_rebuild_the_views_of_one_process_and_of_incremental_updates(world):
    store, runner, clients, opener = world.store, world.runner, world.clients, world.opener
    engine = store.engine
    incremental = views(engine)

    assert rebuild(engine, store, ClientViewProjection(), workers=2, open_store=opener) == (
        store.count_after()
    )
    in_workers = views(engine)
    rebuild(engine, store, ClientViewProjection(), workers=1)

    assert in_workers == incremental == views(engine)
    assert len(in_workers["client_views"]) == len(clients)
    assert checkpoint(engine) == store.head() and runner.lag() == {"client_views": 0}


def test_a_forgotten_client_is_in_no_view_rebuilt_by_workers(world):
    store, keys, clients, opener = world.store, world.keys, world.clients, world.opener
    engine = store.engine
    with engine.begin() as conn:
        keys.destroy(conn, clients[0], "admin-1", datetime.now(timezone.utc))

    rebuild(engine, store, ClientViewProjection(), workers=1)
    in_one_process = views(engine)
    rebuild(engine, store, ClientViewProjection(), workers=2, open_store=opener)

    assert views(engine) == in_one_process
    assert clients[0] not in {row[0] for row in in_one_process["client_views"]}
    assert len(in_one_process["client_views"]) == len(clients) - 1


def test_readers_see_the_old_views_until_the_checkpoint_is_set_once_at_the_end(world, monkeypatch):
    store, clients, opener = world.store, world.clients, world.opener
    engine = store.engine
    with engine.begin() as conn:  # a drifted row, so the old views differ from the rebuilt ones
        conn.execute(LIVE.caseload_rows.update().values(display_name="Stale"))
    old_views, old_checkpoint = views(engine), checkpoint(engine)
    world.step(clients[1])  # the feed moves on: the rebuild's head is past the checkpoint
    seen_meanwhile = []
    saves = []
    real_save = rebuild_module.save_checkpoint

    def counted_save(conn, name, cursor):
        saves.append(cursor)
        real_save(conn, name, cursor)

    def look(done: int, total: int) -> None:
        seen_meanwhile.append((views(engine), checkpoint(engine), done, total))

    monkeypatch.setattr(rebuild_module, "save_checkpoint", counted_save)
    rebuild(engine, store, ClientViewProjection(), progress=look, workers=2, open_store=opener)

    assert saves == [store.head()] and checkpoint(engine) == store.head() != old_checkpoint
    assert len(seen_meanwhile) == len(clients)  # one report per range
    assert all(seen[:2] == (old_views, old_checkpoint) for seen in seen_meanwhile)
    assert seen_meanwhile[-1][2:] == (store.count_after(), store.count_after())
    assert all(row[3] != "Stale" for row in views(engine)["caseload_rows"])


@pytest.mark.parametrize("fail", ["raise", "exit"])
def test_a_failed_worker_leaves_the_old_views_and_checkpoint(world, fail):
    store, runner, clients, opener = world.store, world.runner, world.clients, world.opener
    engine = store.engine
    world.step(clients[2])
    old_views, old_checkpoint = views(engine), checkpoint(engine)
    failing = functools.partial(opener, fail=fail)

    with pytest.raises(Exception) as failed:
        rebuild(engine, store, ClientViewProjection(), workers=2, open_store=failing)

    assert "a worker failed" in str(failed.value) or fail == "exit", failed.value
    assert views(engine) == old_views and checkpoint(engine) == old_checkpoint
    runner.catch_up()  # the live runner goes on from the checkpoint it had
    rebuild(engine, store, ClientViewProjection(), workers=1)
    incremental_then_rebuilt = views(engine)
    rebuild(engine, store, ClientViewProjection(), workers=2, open_store=opener)
    assert views(engine) == incremental_then_rebuilt


def test_one_pass_of_two_workers_rebuilds_every_projection_as_incremental_updates_left_it(world):
    store, clients, opener = world.store, world.clients, world.opener
    engine = store.engine
    ProjectionRunner(engine, store, every_projection()[1:], batch_size=9).catch_up()
    incremental = views(engine, EVERY_TABLE)
    with engine.begin() as conn:  # drifted rows, which the rebuild must put right
        conn.execute(LIVE_INSIGHTS.goals.update().values(status="dropped"))
        conn.execute(LIVE_INSIGHTS.clients.update().values(critical_findings=99))
    scans = []
    real_scan = EventStore.scan_streams

    def counted_scan(self, *args, **kwargs):
        scans.append(kwargs.get("streams"))
        yield from real_scan(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EventStore, "scan_streams", counted_scan)  # this process's scans only
        rebuild_all(engine, store, every_projection(), workers=1)
    in_one_process = views(engine, EVERY_TABLE)
    with pytest.MonkeyPatch.context() as patch:  # every projection folds in the workers
        patch.setattr(rebuild_module, "_fold_up_to", None)
        folded = rebuild_all(engine, store, every_projection(), workers=2, open_store=opener)

    assert scans == [None]  # one scan feeds every projection
    assert folded == store.count_after()
    assert views(engine, EVERY_TABLE) == in_one_process == incremental
    assert len(incremental["insight_clients"]) == len(clients) and incremental["insight_goals"]
    with engine.connect() as conn:
        for name in ("client_views", "insights", "template_applications"):
            assert read_checkpoint(conn, name) == store.head()


@pytest.mark.parametrize("fail", ["raise", "exit"])
def test_a_failed_worker_leaves_every_projection_as_it_was(world, fail):
    store, opener = world.store, world.opener
    engine = store.engine
    ProjectionRunner(engine, store, every_projection()[1:]).catch_up()
    world.step(world.clients[3])
    with engine.begin() as conn:
        conn.execute(LIVE_INSIGHTS.clients.update().values(critical_findings=99))
    old_views = views(engine, EVERY_TABLE)
    with engine.connect() as conn:
        old_checkpoints = [read_checkpoint(conn, p.name) for p in every_projection()]

    with pytest.raises(Exception):
        rebuild_all(
            engine,
            store,
            every_projection(),
            workers=2,
            open_store=functools.partial(opener, fail=fail),
        )

    assert views(engine, EVERY_TABLE) == old_views
    with engine.connect() as conn:
        assert [read_checkpoint(conn, p.name) for p in every_projection()] == old_checkpoints


def test_stream_ranges_cover_every_stream_once(world):
    store, clients = world.store, world.clients
    head = store.head()
    everything = [e.position for batch in store.scan_streams(head) for e in batch]

    for parts in (1, 2, 3, 5, 9):
        ranges = store.stream_ranges(head, parts)
        assert len(ranges) == min(parts, len(clients))
        shares = [
            [e.position for batch in store.scan_streams(head, 4, streams=r) for e in batch]
            for r in ranges
        ]
        assert [p for share in shares for p in share] == everything
        assert all(shares)


def test_a_rebuild_leaves_the_planner_statistics_of_the_tables_it_wrote(world):
    store, clients, opener = world.store, world.clients, world.opener
    engine = store.engine

    def estimated_rows(table: str) -> float:  # -1 until the table is analysed (or vacuumed)
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:table)"),
                {"table": table},
            ).scalar_one()

    assert estimated_rows("client_views") == -1  # a handful of rows: autovacuum leaves them

    rebuild_all(engine, store, every_projection(), workers=2, open_store=opener)

    assert estimated_rows("client_views") == len(clients)
    assert estimated_rows("insight_clients") == len(clients)
