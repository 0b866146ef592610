"""A client's view as it was at an instant of business time: the facts that had occurred by then, as known now.

Digests for a closed period are composed from this, so a fact that occurred
after the period (however early it was recorded) never shows in it, and a
fact back-dated into the period shows once it is recorded. Pure: the caller
reads the stream.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from eventstore import StoredEvent
from projections import client_view


def occurred_at(event: StoredEvent) -> datetime:
    """When the event's fact happened in the client's life (UTC)."""
    moment = datetime.fromisoformat(event.data["occurred_at"])
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def view_as_on(client_id: str, stored_events: Iterable[StoredEvent], until: datetime) -> dict:
    """The client view folded, in stream order, from the events that occurred at or before `until`.

    A fact that refers to a goal or milestone not in the view yet is skipped
    (the handlers tolerate it). Of re-alignment checks, the one that occurred
    last by `until` is kept, even if an earlier-dated one was recorded after it.
    """
    view = client_view.new_view(client_id)
    for event in stored_events:
        if occurred_at(event) > until:
            continue
        if event.type == "AlignmentChecked" and _older_than_kept(view, event):
            continue
        client_view.apply(view, event)
    return view


def _older_than_kept(view: dict, event: StoredEvent) -> bool:
    kept = view.get("alignment")
    return kept is not None and datetime.fromisoformat(kept["checked_at"]) > occurred_at(event)


def recorded_late(
    stored_events: Iterable[StoredEvent], before: datetime, after: datetime
) -> list[StoredEvent]:
    """Late corrections: events that occurred before `before` but were recorded after `after`, in stream order."""
    return [e for e in stored_events if occurred_at(e) < before and e.recorded_at > after]
