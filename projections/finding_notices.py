"""A projection that turns re-alignment findings into webhook deliveries, exactly once.

It follows the feed like any view: the deliveries and the checkpoint commit
together, so each `AlignmentChecked` with findings notifies each subscribed
endpoint once, however often the runner restarts. How a notice becomes
deliveries is the webhooks service's (`services.webhooks.notify_all`), handed in
by the composition root, so the read side does not reach up into services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from eventstore import StoredEvent
from eventstore.streams import client_of


class Notice(NamedTuple):
    """One notice to deliver to the organisation's subscribed endpoints (once per event key)."""

    organisation_id: str
    event_type: str
    event_key: str
    payload: dict
    recorded_at: datetime | None = None  # endpoints registered after it do not hear of it


# notify_all(conn, notices) -> deliveries made: a batch's notices queued together
Notify = Callable[[sa.Connection, list[Notice]], int]


class FindingNotices:
    name = "finding_notices"
    read_model = False
    rebuildable = False  # deliveries are history: replaying them would notify again
    event_types = frozenset({"AlignmentChecked"})

    def __init__(self, notify: Notify):
        self._notify = notify

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        self._notify(
            conn,
            [
                _finding_notice(event)
                for event in events
                if event.type == "AlignmentChecked" and event.data.get("findings")
            ],
        )

    def clear(self, conn: sa.Connection) -> None:
        raise NotImplementedError("finding notices are not rebuilt; they were delivered")


def _finding_notice(event: StoredEvent) -> Notice:
    """The `alignment.findings` notice of a check that found something: ids and rules, no text."""
    return Notice(
        event.metadata["organisation_id"],
        "alignment.findings",
        str(event.event_id),
        {
            "client_id": client_of(event.stream_id),
            "check_id": event.data["check_id"],
            "checked_at": event.data["occurred_at"],
            "findings": [
                {
                    k: f.get(k)
                    for k in ("rule", "severity", "suggested_action", "goal_id", "requirement_id")
                }
                for f in event.data["findings"]
            ],
        },
    )
