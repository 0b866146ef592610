"""Forgetting a client: destroy their data key and purge every copy of their personal data.

The events stay, hash chain intact, with their personal fields sealed under a
key that no longer exists. Everything derived from them in the clear goes:
the client's views and caseload row, their digests and the coach and
organisation digests that name them. Webhook payloads carry only ids, rules and dates, but for
`client.nudge_due`, which carries what to say: that text is stripped from the
client's nudge deliveries (kept in the log) and those not sent yet are
cancelled. (Queued messages and failed jobs carry only ids, so they stay.)
Forgetting again is harmless and purges again (say, after a crash midway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from eventstore.schema import utc
from projections.insight_tables import LIVE_INSIGHTS
from projections.runner import lock_checkpoint
from projections.tables import LIVE, template_applications
from services.access.client_access import ClientOwners
from services.digests.tables import digest_run_items, digests
from services.plans import ClientNotFound, Clock
from services.privacy.client_keys import ClientKeys
from services.webhooks.tables import webhook_deliveries

NUDGE_NOTICE, NUDGE_TEXT = "client.nudge_due", ("goal_statement", "milestone_title")


@dataclass(frozen=True)
class ErasureReport:
    """What forgetting a client did: whether this call destroyed the key, and the rows purged per table."""

    client_id: str
    forgotten_at: datetime
    key_destroyed: bool  # False when an earlier call had destroyed it already
    rows_purged: dict[str, int]


def _mentions(column: sa.ColumnElement, client_id: str) -> sa.ColumnElement[bool]:
    """True for a JSON document holding the client's id as a string value anywhere."""
    return sa.cast(column, sa.Text).contains(f'"{client_id}"', autoescape=True)


class ClientErasure:
    """The right to be forgotten, for one organisation's client at a time."""

    def __init__(
        self,
        engine: sa.Engine,
        keys: ClientKeys,
        owners: ClientOwners,
        projection_names: Sequence[str],
        clock: Clock,
    ):
        self._engine = engine
        self._keys = keys
        self._owners = owners
        self._projection_names = sorted(projection_names)
        self._clock = clock

    def forget(self, organisation_id: str, client_id: str, actor: str) -> ErasureReport:
        """Destroy the client's data key and purge their personal data outside the events.

        Every projection's checkpoint is locked first: a runner that read the
        client's events in the clear finishes its batch before the purge, and
        every later batch reads them erased (and skips them).
        """
        owner = self._owners.owner(client_id)
        if owner is None or owner.organisation_id != organisation_id:
            raise ClientNotFound(f"client {client_id} was not found")
        now = self._clock()
        with self._engine.begin() as conn:
            for name in self._projection_names:
                lock_checkpoint(conn, name)
            destroyed = self._keys.destroy(conn, client_id, actor, now)
            purged = purge_personal_data(conn, client_id)
        self._keys.forget_cached(client_id)
        forgotten_at = now if destroyed else (utc(self._keys.forgotten_at(client_id)) or now)
        return ErasureReport(client_id, forgotten_at, destroyed, purged)


def purge_personal_data(conn: sa.Connection, client_id: str) -> dict[str, int]:
    """Delete every row outside the events that holds the client's personal data; counts per table."""
    statements = {
        "client_views": LIVE.client_views.delete().where(
            LIVE.client_views.c.client_id == client_id
        ),
        "caseload_rows": LIVE.caseload_rows.delete().where(
            LIVE.caseload_rows.c.client_id == client_id
        ),
        "template_applications": template_applications.delete().where(
            template_applications.c.client_id == client_id
        ),
        # Its insight state holds the view's text; the fact rows go with it.
        **{
            table.name: table.delete().where(table.c.client_id == client_id)
            for table in LIVE_INSIGHTS.all
        },
        # Out of every digest run too: a run in progress does not wait for them.
        "digest_run_items": digest_run_items.delete().where(
            digest_run_items.c.subject == f"client:{client_id}"
        ),
        "digests": digests.delete().where(
            sa.or_(
                digests.c.subject == f"client:{client_id}",
                sa.and_(
                    sa.or_(
                        digests.c.subject.like("coach:%"),
                        digests.c.subject.like("organisation:%"),
                    ),
                    _mentions(digests.c.content, client_id),
                ),
            )
        ),
    }
    purged = {table: conn.execute(statement).rowcount for table, statement in statements.items()}
    purged["webhook_deliveries"] = _strip_nudge_text(conn, client_id)
    return purged


def _strip_nudge_text(conn: sa.Connection, client_id: str) -> int:
    """Strip the what-to-say of the client's nudge deliveries and cancel the unsent; the rows changed."""
    rows = conn.execute(
        sa.select(
            webhook_deliveries.c.delivery_id,
            webhook_deliveries.c.payload,
            webhook_deliveries.c.status,
        ).where(
            webhook_deliveries.c.event_type == NUDGE_NOTICE,
            _mentions(webhook_deliveries.c.payload, client_id),
        )
    ).all()
    changed = 0
    for delivery_id, payload, status in rows:
        if payload.get("client_id") != client_id:
            continue
        stripped = {**payload, **dict.fromkeys(NUDGE_TEXT)}
        if stripped == payload and status != "pending":
            continue
        conn.execute(
            webhook_deliveries.update()
            .where(webhook_deliveries.c.delivery_id == delivery_id)
            .values(payload=stripped, status="cancelled" if status == "pending" else status)
        )
        changed += 1
    return changed
