"""An organisation's re-alignment sweep asked for by an admin: once per (organisation, day), via the outbox.

The scheduler sweeps every organisation at 02:00 UTC; an admin may sweep
their own organisation now. The sweep is a `scheduler_ticks` row (job
`alignment-sweep/<organisation>`, slot = the day) written in one transaction
with one outbox message per chunk of CHUNK clients, so a second request the
same day finds the row and queues nothing more. Its checks have their own slot
(`<day>/<organisation>`): their ids differ from the scheduler's daily ones,
so both are recorded, and a redelivered message records nothing. The status
is counted from the sweep's outbox rows (found by their indexed `slot`, each
carrying `items` checks), never kept as a counter that could drift.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from projections.tables import LIVE
from services.jobs import outbox
from services.jobs.tables import failed_jobs, scheduler_ticks
from services.jobs.tables import outbox as outbox_rows

CHECK = "check_alignment_chunk"  # the actor that records a chunk of clients' checks
CHECKS = ("check_alignment", CHECK)  # one client's check: the messages of earlier sweeps
# Clients per message: one policy read, one read of their streams and one refresh of the
# views per chunk instead of per client, while a sweep still spreads over every worker.
CHUNK = 25

JOB_PREFIX = "alignment-sweep/"
_SWEEP_NAMESPACE = uuid.UUID("0b6f1c7e-3d44-4f0a-8e51-9a2c7d5e4b13")


@dataclass(frozen=True)
class SweepStatus:
    """Where an organisation's sweep of a day stands: its clients' checks queued, sent on, failed."""

    sweep_id: str
    day: date
    requested_at: datetime
    requested_by: str
    queued: int
    relayed: int
    failed: int

    @property
    def waiting(self) -> int:
        """Checks still in the outbox, not yet handed to the broker."""
        return self.queued - self.relayed


def sweep_slot(organisation_id: str, day: date) -> str:
    """The slot the sweep's checks are named by (see `workers.alignment.check_id`)."""
    return f"{day.isoformat()}/{organisation_id}"


def clients(conn: sa.Connection, organisation_id: str | None = None) -> list[tuple[str, str]]:
    """(organisation, client) of every active client in the views, or of one organisation's: whom to check.

    Archived clients are left out: their plans take no commands until reactivated.
    """
    views = LIVE.client_views
    query = (
        sa.select(views.c.organisation_id, views.c.client_id)
        .where(views.c.status == "active")
        .order_by(views.c.organisation_id, views.c.client_id)
    )
    if organisation_id is not None:
        query = query.where(views.c.organisation_id == organisation_id)
    return [tuple(row) for row in conn.execute(query)]


def queue_checks(engine: sa.Engine, slot: str) -> int:
    """Queue one check per client (every organisation) for the scheduler's `slot`; the number queued.

    Through the outbox, so each check is owned by a row the reconciler can
    re-drive; a redelivered sweep finds the slot's checks queued and adds none.
    """
    with engine.begin() as conn:
        if any(outbox.queued(conn, actor, slot=slot) for actor in CHECKS):
            return 0
        return outbox.record_chunks(conn, CHECK, "alignment", clients(conn), CHUNK, slot=slot)


def start_sweep(
    engine: sa.Engine, organisation_id: str, day: date, requested_by: str
) -> tuple[SweepStatus, bool]:
    """Queue a check of every client of the organisation for `day`, unless done already: (status, started)."""
    try:
        with engine.begin() as conn:
            conn.execute(
                scheduler_ticks.insert().values(
                    job=JOB_PREFIX + organisation_id,
                    slot=day.isoformat(),
                    fired_by=requested_by[:200],
                )
            )
            outbox.record_chunks(
                conn,
                CHECK,
                "alignment",
                clients(conn, organisation_id),
                CHUNK,
                slot=sweep_slot(organisation_id, day),
            )
        started = True
    except sa.exc.IntegrityError:  # this day's sweep was asked for before (perhaps a moment ago)
        started = False
    status = sweep_status(engine, organisation_id, day)
    assert status is not None
    return status, started


def sweep_status(engine: sa.Engine, organisation_id: str, day: date) -> SweepStatus | None:
    """The organisation's sweep of `day`, or None when none was asked for."""
    with engine.connect() as conn:
        tick = conn.execute(
            sa.select(scheduler_ticks.c.fired_at, scheduler_ticks.c.fired_by).where(
                scheduler_ticks.c.job == JOB_PREFIX + organisation_id,
                scheduler_ticks.c.slot == day.isoformat(),
            )
        ).first()
        if tick is None:
            return None
        messages = (
            sa.select(outbox_rows.c.message_id, outbox_rows.c.sent_at, outbox_rows.c["items"])
            .where(
                outbox_rows.c.actor_name.in_(CHECKS),
                outbox_rows.c.slot == sweep_slot(organisation_id, day),
            )
            .subquery()
        )
        relayed_items = sa.case((messages.c.sent_at.is_not(None), messages.c["items"]), else_=0)
        queued, relayed = conn.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(messages.c["items"]), 0),
                sa.func.coalesce(sa.func.sum(relayed_items), 0),
            ).select_from(messages)
        ).one()
        failed = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(messages.c["items"]), 0))
            .select_from(
                messages.join(failed_jobs, failed_jobs.c.message_id == messages.c.message_id)
            )
            .where(failed_jobs.c.redriven_at.is_(None))
        ).scalar_one()
    sweep_id = str(uuid.uuid5(_SWEEP_NAMESPACE, sweep_slot(organisation_id, day)))
    return SweepStatus(sweep_id, day, tick.fired_at, tick.fired_by, queued, relayed, failed)
