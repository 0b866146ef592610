"""Each actor takes ids and calls one service with the process's services; names and queues hold."""

from __future__ import annotations

from contextlib import nullcontext
from types import SimpleNamespace

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries

from workers import actors, context


class Projections:
    """Counts the catch-ups an actor asks for."""

    def __init__(self) -> None:
        self.catch_ups: list[dict] = []

    def catch_up(self, **options) -> None:
        self.catch_ups.append(options)


@pytest.fixture
def world(monkeypatch):
    """(services, calls, run): fake services in the context, the actors on a StubBroker, no retries."""
    services = SimpleNamespace(
        engine=SimpleNamespace(connect=nullcontext),
        store="store",
        plans="plans",
        projections=Projections(),
        clock=lambda: "now",
    )
    calls: list[tuple] = []
    record = lambda name, result=None: lambda *args: calls.append((name, *args)) or result  # noqa: E731
    monkeypatch.setattr(actors.sweeps, "queue_checks", record("queue_checks", 2))
    monkeypatch.setattr(actors.alignment, "run_alignment_check", record("check", True))
    monkeypatch.setattr(actors.alignment, "run_alignment_checks", record("checks", 2))
    monkeypatch.setattr(actors.digest_runs, "start_runs", record("start_runs"))
    generation = actors.digest_generation
    monkeypatch.setattr(generation, "generate_client_digests", record("client_digests"))
    monkeypatch.setattr(generation, "generate_coach_digests", record("coach_digests"))
    monkeypatch.setattr(actors.webhooks, "deliver", record("deliver"))
    broker = actors.bind(StubBroker(middleware=[Retries(max_retries=0)]))
    broker.emit_after("process_boot")
    context.use(services)
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()

    def run() -> None:
        for queue in broker.get_declared_queues():
            broker.join(queue, fail_fast=True)
        worker.join()

    yield services, calls, run
    worker.stop()
    context.use(None)


def test_the_actors_keep_the_names_and_queues_the_outbox_rows_carry():
    assert {a.actor_name: a.queue_name for a in actors.ACTORS} == {
        "sweep_alignment": "alignment",
        "check_alignment": "alignment",
        "check_alignment_chunk": "alignment",
        "sweep_nudges": "alignment",
        "nudge_client": "alignment",
        "start_digest_runs": "digests",
        "generate_client_digests": "digests",
        "generate_coach_digests": "digests",
        "deliver_webhook": "webhooks",
    }
    assert actors.queues() == ["alignment", "digests", "webhooks"]


def test_a_sweep_catches_up_and_queues_its_checks_through_the_outbox(world):
    services, calls, run = world
    actors.sweep_alignment.send(slot="2026-05-01")
    run()

    assert calls == [("queue_checks", services.engine, "2026-05-01")]
    assert services.projections.catch_ups == [{}]


def test_a_check_records_and_catches_up_a_little(world):
    services, calls, run = world
    actors.check_alignment.send(organisation_id="org-a", client_id="c1", slot="2026-05-01")
    run()

    assert calls == [("check", "plans", services.engine, "org-a", "c1", "2026-05-01")]
    assert services.projections.catch_ups == [{"max_batches": 2}]


def test_a_chunk_of_checks_records_them_all_and_catches_up_once(world):
    services, calls, run = world
    actors.check_alignment_chunk.send(
        organisation_id="org-a", client_ids=["c1", "c2"], slot="2026-05-01"
    )
    run()

    assert calls == [("checks", "plans", services.engine, "org-a", ["c1", "c2"], "2026-05-01")]
    assert services.projections.catch_ups == [{"max_batches": 2}]


def test_the_digest_and_webhook_actors_pass_their_ids_to_their_services(world):
    services, calls, run = world
    actors.start_digest_runs.send(slot="2026-Q2", kind="quarterly")
    actors.generate_client_digests.send(run_id="r1", client_ids=["c1", "c2"])
    actors.generate_coach_digests.send(run_id="r1")
    actors.deliver_webhook.send(delivery_id="d1")
    run()

    assert sorted(calls, key=str) == sorted(
        [
            ("start_runs", services.engine, "quarterly", "now"),
            ("client_digests", services.engine, "store", "r1", ["c1", "c2"]),
            ("coach_digests", services.engine, "r1"),
            ("deliver", services.engine, "d1"),
        ],
        key=str,
    )
    assert services.projections.catch_ups == [{}]


def test_an_actor_run_before_the_process_handed_over_its_services_says_so():
    context.use(None)
    with pytest.raises(RuntimeError, match="use\\(services\\)"):
        actors.generate_coach_digests("r1")
