"""Which client applied which template version: the `TemplateApplied` events as rows, ids only.

A template revision reads it to list the clients whose plans came from an
earlier version. Rebuildable from zero like the client views, by worker
processes too (each row depends on one stream); a forgotten client's events
are in no view, so a rebuild leaves them out, and the erasure deletes their
rows at once (`services.privacy.erasure`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import sqlalchemy as sa

from eventstore import StoredEvent
from eventstore.schema import utc
from eventstore.streams import client_of
from projections.tables import template_applications
from projections.upsert import insert_unless_present


class TemplateApplications:
    """Keeps `template_applications` up to date from `TemplateApplied` events."""

    name = "template_applications"
    read_model = False  # read by template revisions, which catch it up first
    rebuildable = True
    event_types = frozenset({"TemplateApplied"})

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        """One row per `TemplateApplied` event (a replay finds its row there already)."""
        for row in _rows(events):
            insert_unless_present(conn, template_applications, row)

    def fold_streams(self, events: Sequence[StoredEvent]) -> dict[sa.Table, list[dict]]:
        """The rows of these whole streams' `TemplateApplied` events (for a rebuild's bulk write)."""
        return {template_applications: list(_rows(events))}

    def clear(self, conn: sa.Connection) -> None:
        """Empty the view (before a rebuild from the first event)."""
        conn.execute(template_applications.delete())


def _rows(events: Sequence[StoredEvent]) -> Iterator[dict]:
    for event in events:
        if event.type != "TemplateApplied" or (client_id := client_of(event.stream_id)) is None:
            continue
        data = event.data
        yield {
            "event_id": str(event.event_id),
            "organisation_id": event.metadata["organisation_id"],
            "client_id": client_id,
            "template_id": data["template_id"],
            "template_version": data["template_version"],
            "applied_at": utc(_moment(data["occurred_at"])),
            "requirement_ids": list(data["requirement_ids"]),
            "goal_ids": list(data["goal_ids"]),
        }


def _moment(value: str | datetime) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value
