"""The Dramatiq actors: module level, small, idempotent, given ids; all the work is in services.

Each actor looks up the process's services in `workers.context` and calls one
service. They are declared at import on a placeholder stub broker, so importing
this module creates no global broker; `bind(broker)` hands them all to the
process's broker (Redis in a worker, a StubBroker in tests). Names and queues
are part of the outbox's contract (rows name them as strings): keep them stable.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker

from services import webhooks
from services.alignment import checks as alignment
from services.alignment import sweeps
from services.digests import generation as digest_generation
from services.digests import runs as digest_runs
from services.nudges import sweeps as nudges
from workers.context import services

_UNBOUND = StubBroker(middleware=[])


@dramatiq.actor(queue_name="alignment", actor_name="sweep_alignment", broker=_UNBOUND)
def sweep_alignment(slot: str) -> None:
    """Fan a daily sweep out into one check per client, through the outbox."""
    s = services()
    s.projections.catch_up()
    sweeps.queue_checks(s.engine, slot)


@dramatiq.actor(queue_name="alignment", actor_name="check_alignment", broker=_UNBOUND)
def check_alignment(organisation_id: str, client_id: str, slot: str) -> None:
    """Record one client's re-alignment check for the slot (a redelivery records nothing).

    Sweeps queue `check_alignment_chunk` now; this takes the messages queued before.
    """
    s = services()
    if alignment.run_alignment_check(s.plans, s.engine, organisation_id, client_id, slot):
        s.projections.catch_up(max_batches=2)


@dramatiq.actor(queue_name="alignment", actor_name="check_alignment_chunk", broker=_UNBOUND)
def check_alignment_chunk(organisation_id: str, client_ids: list[str], slot: str) -> None:
    """Record the slot's checks of a chunk of an organisation's clients (what a sweep queues)."""
    s = services()
    if alignment.run_alignment_checks(s.plans, s.engine, organisation_id, client_ids, slot):
        s.projections.catch_up(max_batches=2)


@dramatiq.actor(queue_name="alignment", actor_name="sweep_nudges", broker=_UNBOUND)
def sweep_nudges(slot: str) -> None:
    """Fan the daily nudge sweep out into one decision per client, through the outbox."""
    s = services()
    s.projections.catch_up()
    nudges.queue_nudges(s.engine, slot)


@dramatiq.actor(queue_name="alignment", actor_name="nudge_client", broker=_UNBOUND)
def nudge_client(organisation_id: str, client_id: str, day: str) -> None:
    """Record the client's nudge for the day if one is due (a redelivery records nothing)."""
    s = services()
    if nudges.run_nudge(s.plans, s.engine, organisation_id, client_id, day):
        s.projections.catch_up(max_batches=2)


@dramatiq.actor(queue_name="digests", actor_name="start_digest_runs", broker=_UNBOUND)
def start_digest_runs(slot: str, kind: str) -> None:
    """Start the period's digest run for every organisation whose cadence includes `kind`."""
    s = services()
    s.projections.catch_up()
    digest_runs.start_runs(s.engine, kind, s.clock())


@dramatiq.actor(queue_name="digests", actor_name="generate_client_digests", broker=_UNBOUND)
def generate_client_digests(run_id: str, client_ids: list[str]) -> None:
    """Write the run's digests for a chunk of clients."""
    s = services()
    digest_generation.generate_client_digests(s.engine, s.store, run_id, client_ids)


@dramatiq.actor(queue_name="digests", actor_name="generate_coach_digests", broker=_UNBOUND)
def generate_coach_digests(run_id: str) -> None:
    """Write the run's coach digests once its clients are done."""
    digest_generation.generate_coach_digests(services().engine, run_id)


@dramatiq.actor(queue_name="webhooks", actor_name="deliver_webhook", broker=_UNBOUND)
def deliver_webhook(delivery_id: str) -> None:
    """POST one signed notice; a failure raises so Retries backs off and tries again."""
    webhooks.deliver(services().engine, delivery_id)


ACTORS: tuple[dramatiq.Actor, ...] = (
    sweep_alignment,
    check_alignment,
    check_alignment_chunk,
    sweep_nudges,
    nudge_client,
    start_digest_runs,
    generate_client_digests,
    generate_coach_digests,
    deliver_webhook,
)


def bind(broker: dramatiq.Broker) -> dramatiq.Broker:
    """Declare every actor on `broker` and send through it from now on; returns the broker.

    One broker at a time per process: a later `bind` (the next test's stub) takes them over.
    """
    for actor in ACTORS:
        actor.broker = broker
        broker.declare_actor(actor)
    return broker


def queues() -> list[str]:
    """The queues the actors use, read off the actors themselves."""
    return sorted({actor.queue_name for actor in ACTORS})
