"""Re-alignment checks: one `AlignmentChecked` per client per time slot, or one asked for now.

Both judge by the organisation's policy. A scheduled check's id comes from
(client, slot), so a redelivered message records nothing; a check asked for
over the API may judge a past day in business time (`on`).
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

import sqlalchemy as sa

from domain.commands import RecordAlignmentCheck
from domain.errors import RuleViolation
from services.plans import CareerPlans, ClientForgotten, CommandContext, CommandResult
from services.policies import policy_of

log = logging.getLogger(__name__)
_CHECK_NAMESPACE = uuid.UUID("5d0f3a52-8a59-4b0c-9a3e-3c4f0e7d2b61")


def check_id(client_id: str, slot: str) -> str:
    """The check's id, derived from client and slot, so a redelivered message names the same check."""
    return str(uuid.uuid5(_CHECK_NAMESPACE, f"{client_id}/{slot}"))


def _policy(engine: sa.Engine, organisation_id: str):
    with engine.connect() as conn:
        return policy_of(conn, organisation_id).alignment


def check_now(
    plans: CareerPlans,
    engine: sa.Engine,
    client_id: str,
    check_id_: str,
    context: CommandContext,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> dict:
    """Record a check of the client's plan now (or as it was on the past day `on`): what it found.

    A check of a past day judges the plan as it stood at the end of that day on
    the client's calendar, is dated then, and joins the current stream; the
    client view keeps it as history rather than as the current findings.
    """
    command = RecordAlignmentCheck(
        check_id=check_id_, policy=_policy(engine, context.organisation_id)
    )
    return check_report(plans.execute(client_id, command, context, expected_version, on=on))


def check_report(result: CommandResult) -> dict:
    """What a recorded check answers: the plan's version, the check's id and time, its findings."""
    (event,) = [e for e in result.events if e.type == "AlignmentChecked"]
    return {
        "client_id": result.client_id,
        "version": result.version,
        "replayed": result.replayed,
        "check_id": event.data["check_id"],
        "checked_at": event.data["occurred_at"],
        "findings": event.data["findings"],
    }


def run_alignment_check(
    plans: CareerPlans, engine: sa.Engine, organisation_id: str, client_id: str, slot: str
) -> bool:
    """Record the slot's check for one client; False when it was recorded before (a redelivery).

    A client forgotten or archived since the sweep listed them is checked no more (False).
    """
    return _check(plans, organisation_id, client_id, slot, _policy(engine, organisation_id))


def run_alignment_checks(
    plans: CareerPlans, engine: sa.Engine, organisation_id: str, client_ids: list[str], slot: str
) -> int:
    """Record the slot's check for each of a chunk of the organisation's clients; how many were new.

    The policy is read once and the clients' streams in one statement. A
    client whose check fails does not stop the others; the first failure is
    raised after them all, so the chunk is retried, and a retry records
    nothing again for the clients already checked (the ids come from the slot).
    """
    policy = _policy(engine, organisation_id)
    read = plans.read_ahead(client_ids)
    recorded, failures = 0, []
    for client_id in client_ids:
        try:
            ahead = read.pop(client_id, None)  # each plan let go once checked
            recorded += _check(plans, organisation_id, client_id, slot, policy, ahead)
        except Exception as failure:  # noqa: BLE001 - raised below, once the others are checked
            log.warning("alignment check of client %s failed: %r", client_id, failure)
            failures.append(failure)
    if failures:
        raise failures[0]
    return recorded


def _check(plans, organisation_id, client_id, slot, policy, read=None) -> bool:
    command = RecordAlignmentCheck(check_id=check_id(client_id, slot), policy=policy)
    context = CommandContext(
        organisation_id,
        actor="scheduler",
        correlation_id=f"alignment:{slot}",
        idempotency_key=f"alignment:{slot}",
    )
    try:
        result = plans.execute(client_id, command, context, read=read)
    except ClientForgotten:
        return False
    except RuleViolation as refused:
        if refused.code in ("alignment_check_already_recorded", "client_archived"):
            return False
        raise
    return not result.replayed
