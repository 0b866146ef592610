"""PostgreSQL black-holed under the API: every request answers within its budget, and the app recovers.

The app reaches PostgreSQL only through a TCP proxy of the test's own, which
for 20 s keeps every connection (old and new) open but forwards no byte, as a
network that silently drops packets does. Requests in flight when it starts
and requests sent during it answer 503 with Retry-After within the request
budget (the connections still waiting are cut), `/health` keeps answering
200 at once, `/ready` answers 503 within about its one-second check budget;
once bytes flow again, the same app serves commands again, and no check-in is
lost or stored twice (each command answered 503 is sent again with its id).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest
from live_api import Answer, engine_behind, serve, wait_for
from seeded_clients import enrol_seed_clients
from traffic import Traffic, settle

from eventstore.waits import Waits

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

BUDGET_S = 4.0  # REQUEST_BUDGET_S for this app: shorter than the default 10, for a shorter test
BLACKHOLE_S = 20.0
MARGIN_S = 2.0  # answering, scheduling on a busy two-core machine
WAITS = Waits(connect_timeout_s=2, pool_timeout_s=2.0)


class Probes:
    """`/health` and `/ready` asked over and over until stopped: (started, seconds, answer) each."""

    def __init__(self, live, path: str, every_s: float):
        self.live, self.path, self.every_s = live, path, every_s
        self.answers: list[tuple[float, float, Answer]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"probe {path}")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            answer = self.live.caller.request("GET", self.path)
            self.answers.append((started, time.monotonic() - started, answer))
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def between(self, start: float, end: float) -> list[tuple[float, Answer]]:
        """(seconds, answer) of the probes sent in [start, end] that also ended by `end`."""
        return [(s, a) for t, s, a in self.answers if start <= t and t + s <= end]


@pytest.fixture
def live(postgres_engine, proxy, monkeypatch):
    monkeypatch.setenv("REQUEST_BUDGET_S", str(BUDGET_S))
    engine = engine_behind(postgres_engine, proxy, waits=WAITS)
    served = serve(engine)
    yield served
    served.close()
    engine.dispose()


def test_a_blackholed_database_answers_503_within_the_budget_and_recovers(live, proxy):
    clients = enrol_seed_clients(live.services, live.organisation_id, 4)
    traffic = Traffic(live)
    assert traffic.send(clients[0], str(uuid.uuid4())).status == 201

    threads = traffic.run(clients)
    try:
        wait_for(lambda: traffic.count(201) >= 8, "commands accepted before the black hole")
        health = Probes(live, "/health", 0.25)
        ready = Probes(live, "/ready", 1.0)
        proxy.blackhole()
        hole_started = time.monotonic()
        time.sleep(BLACKHOLE_S)
        proxy.blackhole(False)
        hole_ended = time.monotonic()
        accepted_before = traffic.count(201)
        wait_for(
            lambda: traffic.count(201) >= accepted_before + 8,
            "commands accepted after the black hole",
        )
        health.stop()
        ready.stop()
    finally:
        traffic.stop(threads)
    wait_for(lambda: live.caller.request("GET", "/ready").status == 200, "ready again")

    statuses = traffic.statuses()
    slowest = max(s.seconds for s in traffic.sent)
    in_hole = [s for s in traffic.sent if hole_started <= s.started <= hole_ended - BUDGET_S]
    in_flight = [s for s in traffic.sent if s.started < hole_started < s.started + s.seconds]
    health_in_hole = health.between(hole_started, hole_ended)
    ready_in_hole = ready.between(hole_started + 0.1, hole_ended)

    ledger = settle(live, traffic, clients)
    print(
        f"\nfault: postgres black-holed {BLACKHOLE_S:.0f} s (budget {BUDGET_S:.0f} s) — "
        f"{len(traffic.sent)} requests, {statuses[503]} answered 503, slowest {slowest:.1f} s; "
        f"{len(in_flight)} in flight when it began: {Counter(s.answer.status for s in in_flight)}; "
        f"{len(in_hole)} sent during it, slowest {max(s.seconds for s in in_hole):.1f} s; "
        f"/health {len(health_in_hole)} probes, slowest {max(s for s, _ in health_in_hole):.2f} s; "
        f"/ready {len(ready_in_hole)} probes, slowest {max(s for s, _ in ready_in_hole):.2f} s; "
        f"{ledger.summary()}"
    )
    assert slowest < BUDGET_S + MARGIN_S, slowest
    # In flight by the caller's clock: one whose database work had finished just before the hole
    # was stored and answered 201 (the ledger holds it); the others answer 503 within the budget.
    assert in_flight and {s.answer.status for s in in_flight} <= {201, 503}, in_flight
    assert len(in_hole) >= 8 and all(s.answer.status == 503 for s in in_hole), Counter(
        s.answer.status for s in in_hole
    )
    assert len(health_in_hole) >= 20
    assert all(a.status == 200 and s < 1.0 for s, a in health_in_hole), health_in_hole
    assert len(ready_in_hole) >= 5
    assert all(a.status == 503 and s < 1.0 + MARGIN_S for s, a in ready_in_hole), ready_in_hole
    ledger.assert_whole()
