"""Steady API traffic during a fault, every answer kept and timed, and the ledger checked afterwards.

Check-ins (each with its own id) and plan reads, one client per thread: one
client per thread keeps concurrency conflicts out, so every answer is about
the fault. Afterwards every command answered 503 is sent again with the same
id (stored then, or found stored already), and no check-in that was accepted
may be missing or stored twice.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from live_api import Answer
from seeded_clients import stored_check_ins

from projections.rebuild import check
from services.plans.event_mapping import stream_id


def assert_unavailable(answer: Answer) -> None:
    """A 503 problem the caller can act on: retry after the time given."""
    assert answer.status == 503, answer
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.body["code"] == "database_unavailable"
    assert int(answer.headers["retry-after"]) > 0


@dataclass(frozen=True)
class Sent:
    """One request of the traffic: whose, which check-in (None: a read), when, how long, the answer."""

    client: str
    check_in: str | None
    started: float
    seconds: float
    answer: Answer


class Traffic:
    """Requests from one thread per client until stopped; every answer kept with its timing."""

    def __init__(self, live):
        self.live = live
        self.sent: list[Sent] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def answers(self) -> list[tuple[str, str | None, Answer]]:
        with self._lock:
            return [(s.client, s.check_in, s.answer) for s in self.sent]

    def send(self, client_id: str, check_in_id: str | None = None) -> Answer:
        caller = self.live.caller
        started = time.monotonic()
        if check_in_id is None:
            answer = caller.request("GET", f"/v1/clients/{client_id}")
        else:
            answer = caller.check_in(client_id, check_in_id)
        sent = Sent(client_id, check_in_id, started, time.monotonic() - started, answer)
        with self._lock:
            self.sent.append(sent)
        return answer

    def statuses(self) -> Counter:
        """How many answers of each status; only successes and actionable 503s are allowed."""
        with self._lock:
            answers = [s.answer for s in self.sent]
        statuses = Counter(answer.status for answer in answers)
        assert set(statuses) <= {200, 201, 503}, statuses
        for answer in answers:
            if answer.status == 503:
                assert_unavailable(answer)
        return statuses

    def count(self, status: int) -> int:
        with self._lock:
            return sum(1 for s in self.sent if s.answer.status == status)

    def run(self, clients: list[str]) -> list[threading.Thread]:
        def loop(client_id: str):
            for n in itertools.count():
                if self.stopping.is_set():
                    return
                self.send(client_id, str(uuid.uuid4()) if n % 2 == 0 else None)

        started = [threading.Thread(target=loop, args=(client,)) for client in clients]
        for thread in started:
            thread.start()
        return started

    def stop(self, threads: list[threading.Thread]) -> None:
        self.stopping.set()
        for thread in threads:
            thread.join()


@dataclass(frozen=True)
class Ledger:
    """What the retries found, and what the store holds against what was accepted."""

    unanswered: int
    retried: Counter
    lost: int
    duplicated: int
    missing: int
    report: object  # projections.rebuild.check's: incremental views against a rebuild

    def summary(self) -> str:
        return (
            f"the {self.unanswered} commands answered 503 sent again: {self.retried[201]} stored "
            f"then, {self.retried['id_already_used']} found stored already; {self.lost} events "
            f"lost, {self.duplicated} duplicated"
        )

    def assert_whole(self) -> None:
        """Retries stored or found stored; nothing lost, duplicated or missing; views as rebuilt."""
        assert set(self.retried) <= {201, "id_already_used"}, self.retried
        assert (self.lost, self.duplicated, self.missing) == (0, 0, 0)
        assert self.report.identical, self.report.differences


def settle(live, traffic: Traffic, clients: list[str]) -> Ledger:
    """Send every command answered 503 again, then compare the store with what was sent and accepted.

    Each client's stream must be gapless (versions 1..n); the views are caught up and
    compared with a rebuild from the events.
    """
    commands = [(c, check_in, a) for c, check_in, a in traffic.answers if check_in]
    unanswered = [(c, check_in) for c, check_in, a in commands if a.status == 503]
    again = [live.caller.check_in(client, check_in) for client, check_in in unanswered]
    retried = Counter(a.status if a.status == 201 else a.body["code"] for a in again)
    lost = duplicated = missing = 0
    for client in clients:
        sent = {check_in for c, check_in, _ in commands if c == client}
        accepted = {check_in for c, check_in, a in commands if c == client and a.status == 201}
        stored = stored_check_ins(live.services, client)
        lost += len(accepted - set(stored))
        duplicated += len(stored) - len(set(stored))
        missing += len(sent - set(stored))  # nothing partial, nothing missing after the retries
        versions = [e.stream_version for e in live.services.store.read_stream(stream_id(client))]
        assert versions == list(range(1, len(versions) + 1))
    live.services.projections.catch_up()
    report = check(live.services.engine, live.services.store)
    return Ledger(len(unanswered), retried, lost, duplicated, missing, report)
