"""A projection rebuild under a bounded load on loopback: no errors, and the views converge.

Three threads send check-ins (each on its own client) and two read views, a
short pause between requests, while `projections rebuild` runs through its Python
entry point, in this process or in two worker processes. The rebuild is held
open, from its progress callback, until reads have been answered and commands stored while it runs, so the overlap
does not depend on timing; the views lag the store when it starts, as they
do when a rebuild is needed. Afterwards the live views equal a fresh rebuild
(`projections check`) and hold every command accepted meanwhile.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import threading
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa
from live_api import Answer, eventually, wait_for
from seeded_clients import clone_seed_clients, enrol_seed_clients, stored_check_ins

from careerplan.bootstrap import open_event_store
from careerplan.seed_example import GOAL_KEYS, seed_id
from projections.rebuild import check, rebuild
from projections.tables import LIVE
from services.plans.event_mapping import stream_id

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

PAUSE_SECONDS = 0.01  # the bound on each thread's rate


class Load:
    """Check-ins from one thread per commanded client and view reads from two more, until stopped."""

    def __init__(self, live, commanded: list[str], readable: list[str]):
        self.live, self.commanded, self.readable = live, commanded, readable
        self.answers: list[
            tuple[str, str | None, bool, Answer]
        ] = []  # (client, check-in, during rebuild, answer)
        self.rebuilding = threading.Event()
        self.commanding = threading.Event()  # cleared: the commanding threads park between requests
        self.parked: set[str] = set()
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def count(self, *, command: bool, during: bool | None = None) -> int:
        with self._lock:
            return sum(
                1
                for _, check_in, d, a in self.answers
                if (check_in is not None) == command and during in (None, d) and a.status < 300
            )

    def all_parked(self) -> bool:
        with self._lock:
            return self.parked == set(self.commanded)

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self._commands, args=(client,)) for client in self.commanded
        ]
        threads += [
            threading.Thread(target=self._reads, args=(random.Random(n),)) for n in range(2)
        ]
        for thread in threads:
            thread.start()
        return threads

    def _commands(self, client: str) -> None:
        while not self.stopping.wait(PAUSE_SECONDS):
            with self._lock:
                if not self.commanding.is_set():
                    self.parked.add(client)
                    continue
                self.parked.discard(client)
            check_in, during = str(uuid.uuid4()), self.rebuilding.is_set()
            self._keep(client, check_in, during, self.live.caller.check_in(client, check_in))

    def _reads(self, rng: random.Random) -> None:
        while not self.stopping.wait(PAUSE_SECONDS):
            client, during = rng.choice(self.readable), self.rebuilding.is_set()
            path = rng.choice(
                [f"/v1/clients/{client}/roadmap", f"/v1/clients/{client}/momentum", "/v1/caseload"]
            )
            self._keep(client, None, during, self.live.caller.request("GET", path))

    def _keep(self, client: str, check_in: str | None, during: bool, answer: Answer) -> None:
        with self._lock:
            self.answers.append((client, check_in, during, answer))


@pytest.mark.parametrize("workers", [1, 2])
def test_views_converge_after_a_rebuild_under_load(live, workers):
    services = live.services
    commanded = enrol_seed_clients(services, live.organisation_id, 3)
    readable = clone_seed_clients(services, live.organisation_id, 150) + commanded
    wait_for(lambda: caught_up(services), "the views to hold every client before the load starts")
    (views,) = [p for p in services.projections.projections if p.name == "client_views"]
    load = Load(live, commanded, readable)

    def stored() -> int:
        return sum(len(stored_check_ins(services, client)) for client in commanded)

    held = []

    def hold_open(_done: int, _total: int) -> None:
        """Inside the rebuild's transaction: let commands be stored and reads answered meanwhile.

        Commands leave the views alone, so they are answered meanwhile; a read whose
        view lags waits for the rebuild's lock a bounded time, then is served the
        view as it stands.
        """
        if not load.commanding.is_set():
            load.commanding.set()
            wait_for(
                lambda: (
                    stored() >= before + len(commanded)
                    and load.count(command=False, during=True) >= 6
                ),
                "commands stored and reads answered during the rebuild",
            )
            held.append(stored() - before)

    load.commanding.set()
    threads = load.start()
    try:
        wait_for(lambda: load.count(command=True) >= 6, "commands accepted before the rebuild")
        load.commanding.clear()
        wait_for(load.all_parked, "the commanding threads to park")
        lagging = clone_seed_clients(
            services, live.organisation_id, 20
        )  # a rebuild's usual occasion
        behind = sum(services.store.stream_version(stream_id(client)) for client in lagging)
        before = stored()
        load.rebuilding.set()
        folded = rebuild(
            services.engine,
            services.store,
            views,
            progress=hold_open,
            workers=workers,
            open_store=functools.partial(open_event_store, worker_settings(services)),
        )
        load.rebuilding.clear()
        after = load.count(command=True)
        wait_for(
            lambda: load.count(command=True) >= after + 6, "commands accepted after the rebuild"
        )
    finally:
        load.stopping.set()
        load.commanding.set()
        for thread in threads:
            thread.join()

    def converged() -> bool:
        services.projections.catch_up()  # what the follower process does
        return not missing_from_views(services, load)

    # The feed only shows events below the oldest open transaction of the whole server, so
    # another test's transaction can hold the last events back for a while: wait, not fail.
    eventually(converged)
    missing = missing_from_views(services, load)
    report = check(services.engine, services.store)
    statuses = Counter(answer.status for *_, answer in load.answers)
    print(
        f"\nfault: rebuild under load — {len(load.answers)} requests, statuses {dict(statuses)}, "
        f"{held[0]} commands stored while the rebuild of {folded} events (begun {behind} behind) was open; "
        f"{len(missing)} accepted commands missing from the views (lost), "
        f"{len(report.differences)} rows differing from a fresh rebuild"
    )
    assert set(statuses) <= {200, 201}, statuses
    assert missing == [] and report.identical, (missing, report.differences)


def worker_settings(services):
    """The services' settings naming the test's schema, for the workers that open their own store."""
    with services.engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    url = services.engine.url.set(query={"options": f"-csearch_path={schema}"})
    return dataclasses.replace(
        services.settings, database_url=url.render_as_string(hide_password=False)
    )


def caught_up(services) -> bool:
    """Catch up (as the follower does); True once no event is left for the views.

    The feed shows only events below the server's oldest open transaction, so
    another test's transaction can hold the last ones back for a moment.
    """
    services.projections.catch_up()
    return services.projections.lag()["client_views"] == 0


def missing_from_views(services, load: Load) -> list[str]:
    """Accepted check-ins absent from their client's view, and views behind their stream."""
    with services.engine.connect() as conn:
        rows = dict(
            conn.execute(sa.select(LIVE.client_views.c.client_id, LIVE.client_views.c.view)).all()
        )
    missing = []
    for client in load.commanded:
        view, goal = rows[client], seed_id(client, "goal", GOAL_KEYS[0])
        accepted = {
            check_in
            for c, check_in, _, a in load.answers
            if c == client and check_in and a.status == 201
        }
        missing += sorted(accepted - set(view["goals"][goal]["check_ins"]))
        if view["version"] != services.store.stream_version(stream_id(client)):
            missing.append(f"{client}: view at version {view['version']}")
    return missing
