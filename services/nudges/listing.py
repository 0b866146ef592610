"""A client's nudges for a coach: their `NudgeDue` facts, newest first, a page at a time.

Read from the client's stream with the type filter in SQL (as the history
is), so a page reads what it shows. A position is the stream version of the
page's last nudge.
"""

from __future__ import annotations

from datetime import date, datetime

from eventstore import EventStore, StoredEvent
from eventstore.schema import utc
from services.plans.event_mapping import stream_id


def nudge_page(
    store: EventStore, client_id: str, after: int | None, limit: int
) -> tuple[list[dict], int | None]:
    """The client's nudges after position `after` (None: from the newest), and the next position."""
    events = store.read_stream_page(
        stream_id(client_id),
        after_version=after or 0,
        types=("NudgeDue",),
        limit=limit + 1,
        newest_first=True,
    )
    items = [nudge_of(event) for event in events[:limit]]
    return items, events[limit - 1].stream_version if len(events) > limit else None


def nudge_of(event: StoredEvent) -> dict:
    """One nudge as the API shows it (the personal text None once the client is forgotten)."""
    data = event.data
    return {
        "nudge_id": data["nudge_id"],
        "day": date.fromisoformat(data["day"]),
        "goal_id": data["goal_id"],
        "goal_statement": None if event.forgotten else data.get("goal_statement"),
        "milestone_id": data.get("milestone_id"),
        "milestone_title": None if event.forgotten else data.get("milestone_title"),
        "quiet_days": data["quiet_days"],
        "occurred_at": datetime.fromisoformat(data["occurred_at"]),
        "recorded_at": utc(event.recorded_at),
        "version": event.stream_version,
    }
