"""A projection that turns re-alignment findings into webhook deliveries, exactly once.

It follows the feed like any view: the deliveries and the checkpoint commit
together, so each `AlignmentChecked` with findings notifies each subscribed
endpoint once, however often the runner restarts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from eventstore import StoredEvent
from services.event_mapping import client_of
from workers import webhooks


class FindingNotices:
    name = "finding_notices"
    read_model = False
    rebuildable = False  # deliveries are history: replaying them would notify again

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        for event in events:
            if event.type != "AlignmentChecked" or not event.data.get("findings"):
                continue
            findings = event.data["findings"]
            webhooks.notify(
                conn, event.metadata["organisation_id"], "alignment.findings", str(event.event_id),
                {
                    "client_id": client_of(event.stream_id),
                    "check_id": event.data["check_id"],
                    "checked_at": event.data["occurred_at"],
                    "findings": [
                        {k: f.get(k) for k in ("rule", "severity", "suggested_action", "goal_id", "requirement_id")}
                        for f in findings
                    ],
                },
            )

    def clear(self, conn: sa.Connection) -> None:
        raise NotImplementedError("finding notices are not rebuilt; they were delivered")
