"""Scheduled re-alignment checks: one `AlignmentChecked` per client per time slot."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from domain.commands import RecordAlignmentCheck
from domain.errors import RuleViolation
from services.plans import CareerPlans, ClientForgotten, CommandContext
from workers.policies import policy_of

_CHECK_NAMESPACE = uuid.UUID("5d0f3a52-8a59-4b0c-9a3e-3c4f0e7d2b61")


def check_id(client_id: str, slot: str) -> str:
    """The check's id, derived from client and slot, so a redelivered message names the same check."""
    return str(uuid.uuid5(_CHECK_NAMESPACE, f"{client_id}/{slot}"))


def run_alignment_check(
    plans: CareerPlans, engine: sa.Engine, organisation_id: str, client_id: str, slot: str
) -> bool:
    """Record the slot's check for one client; False when it was recorded before (a redelivery).

    A client forgotten since the sweep listed them is checked no more (False).
    """
    with engine.connect() as conn:
        policy = policy_of(conn, organisation_id).alignment
    command = RecordAlignmentCheck(check_id=check_id(client_id, slot), policy=policy)
    context = CommandContext(
        organisation_id, actor="scheduler", correlation_id=f"alignment:{slot}",
        idempotency_key=f"alignment:{slot}",
    )
    try:
        result = plans.execute(client_id, command, context)
    except ClientForgotten:
        return False
    except RuleViolation as refused:
        if refused.code == "alignment_check_already_recorded":
            return False
        raise
    return not result.replayed
