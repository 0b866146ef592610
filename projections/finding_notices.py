"""A projection that turns re-alignment findings into webhook deliveries, exactly once.

It follows the feed like any view: the deliveries and the checkpoint commit
together, so each `AlignmentChecked` with findings notifies each subscribed
endpoint once, however often the runner restarts. How a notice becomes
deliveries is the webhooks service's (`services.webhooks.notify`), handed in
by the composition root, so the read side does not reach up into services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from eventstore import StoredEvent
from eventstore.streams import client_of

# notify(conn, organisation_id, event_type, event_key, payload, recorded_at=None) -> deliveries made
Notify = Callable[..., int]


class FindingNotices:
    name = "finding_notices"
    read_model = False
    rebuildable = False  # deliveries are history: replaying them would notify again

    def __init__(self, notify: Notify):
        self._notify = notify

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        for event in events:
            if event.type != "AlignmentChecked" or not event.data.get("findings"):
                continue
            findings = event.data["findings"]
            self._notify(
                conn,
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
                            for k in (
                                "rule",
                                "severity",
                                "suggested_action",
                                "goal_id",
                                "requirement_id",
                            )
                        }
                        for f in findings
                    ],
                },
            )

    def clear(self, conn: sa.Connection) -> None:
        raise NotImplementedError("finding notices are not rebuilt; they were delivered")
