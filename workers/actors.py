"""The Dramatiq actors: small, idempotent, given ids; all the work is in application services.

Actors are declared on an explicit broker with the process's services, so a
test can declare them on a StubBroker and a worker process on Redis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import dramatiq
import sqlalchemy as sa

from projections.tables import LIVE
from services.alignment import checks as alignment
from services.digests import generation as digest_generation
from services.digests import runs as digest_runs
from services import webhooks
from services.policies import policy_of


@dataclass(frozen=True)
class Actors:
    sweep_alignment: dramatiq.Actor
    check_alignment: dramatiq.Actor
    start_digest_runs: dramatiq.Actor
    generate_client_digests: dramatiq.Actor
    generate_coach_digests: dramatiq.Actor
    deliver_webhook: dramatiq.Actor


def declare(broker: dramatiq.Broker, services) -> Actors:
    """Declare every actor on `broker`, closed over `services` (careerplan.bootstrap.Services)."""
    engine: sa.Engine = services.engine

    def actor(queue: str):
        return lambda fn: dramatiq.actor(fn, broker=broker, actor_name=fn.__name__, queue_name=queue)

    @actor("alignment")
    def sweep_alignment(slot: str) -> None:
        """Fan a daily sweep out into one check per client."""
        services.projections.catch_up()
        views = LIVE.client_views
        with engine.connect() as conn:
            clients = conn.execute(sa.select(views.c.organisation_id, views.c.client_id)).all()
        for organisation_id, client_id in clients:
            check_alignment.send(organisation_id=organisation_id, client_id=client_id, slot=slot)

    @actor("alignment")
    def check_alignment(organisation_id: str, client_id: str, slot: str) -> None:
        """Record one client's re-alignment check for the slot (a redelivery records nothing)."""
        if alignment.run_alignment_check(services.plans, engine, organisation_id, client_id, slot):
            services.projections.catch_up(max_batches=2)

    @actor("digests")
    def start_digest_runs(slot: str, kind: str) -> None:
        """Start the period's digest run for every organisation whose cadence includes `kind`."""
        services.projections.catch_up()
        start_runs(engine, kind, services.clock())

    @actor("digests")
    def generate_client_digests(run_id: str, client_ids: list[str]) -> None:
        """Write the run's digests for a chunk of clients."""
        digest_generation.generate_client_digests(engine, services.store, run_id, client_ids)

    @actor("digests")
    def generate_coach_digests(run_id: str) -> None:
        """Write the run's coach digests once its clients are done."""
        digest_generation.generate_coach_digests(engine, run_id)

    @actor("webhooks")
    def deliver_webhook(delivery_id: str) -> None:
        """POST one signed notice; a failure raises so Retries backs off and tries again."""
        webhooks.deliver(engine, delivery_id)

    return Actors(sweep_alignment, check_alignment, start_digest_runs, generate_client_digests,
                  generate_coach_digests, deliver_webhook)


def start_runs(engine: sa.Engine, kind: str, now: datetime) -> list[str]:
    """Start (or find) the last ended period's run for every organisation whose cadence includes `kind`.

    Each organisation's period is the last one that has ended at `now` in its own time zone.
    """
    with engine.connect() as conn:
        organisations = conn.execute(sa.select(LIVE.client_views.c.organisation_id).distinct()).scalars().all()
        wanted = [org for org in sorted(organisations) if kind in policy_of(conn, org).digest_kinds]
    return [digest_runs.start_run(engine, org, kind, now) for org in wanted]
