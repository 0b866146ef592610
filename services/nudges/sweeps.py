"""The daily nudge sweep: one outbox message per active client of an organisation that opted in.

The scheduler fires `nudge-sweep` once per day (slot = the UTC day); its
actor queues one `nudge_client` message per client through the outbox, and a
redelivered sweep finds the day's messages queued and adds none. Each
message decides `RecordNudge` for that day on the client's plan: at most one
`NudgeDue` per (client, day), so a rerun of the day records nothing new.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from domain.commands import RecordNudge
from domain.errors import RuleViolation
from domain.nudges import NudgePolicy
from services.alignment.sweeps import clients
from services.jobs import outbox
from services.plans import CareerPlans, ClientForgotten, CommandContext
from services.policies import organisation_policies, policy_of

ACTOR = "nudge_client"


def nudging_organisations(conn: sa.Connection) -> list[str]:
    """The organisations whose policy has nudges enabled."""
    rows = conn.execute(
        sa.select(organisation_policies.c.organisation_id, organisation_policies.c.nudges)
    ).all()
    return sorted(org for org, nudges in rows if NudgePolicy.from_dict(nudges).enabled)


def queue_nudges(engine: sa.Engine, day: str) -> int:
    """Queue one nudge decision per active client of every organisation that nudges; the number queued."""
    with engine.begin() as conn:
        if outbox.queued(conn, ACTOR, day=day):
            return 0
        whom = [pair for org in nudging_organisations(conn) for pair in clients(conn, org)]
        return outbox.record_each(conn, ACTOR, "alignment", whom, day=day)


def run_nudge(
    plans: CareerPlans, engine: sa.Engine, organisation_id: str, client_id: str, day: str
) -> bool:
    """Decide the day's nudge for one client; True when a `NudgeDue` was recorded now.

    A client forgotten or archived since the sweep listed them, or an
    organisation that turned nudges off since, gets none (False).
    """
    with engine.connect() as conn:
        policy = policy_of(conn, organisation_id).nudges
    if not policy.enabled:
        return False
    context = CommandContext(
        organisation_id,
        actor="scheduler",
        correlation_id=f"nudges:{day}",
        idempotency_key=f"nudge:{day}",
    )
    try:
        result = plans.execute(
            client_id, RecordNudge(day=date.fromisoformat(day), policy=policy), context
        )
    except ClientForgotten:
        return False
    except RuleViolation as refused:
        if refused.code == "client_archived":
            return False
        raise
    return bool(result.events) and not result.replayed
