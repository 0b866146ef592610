"""Late corrections: facts back-dated into an earlier period after that period's digest was made.

The earlier digest stays as it was stored; the next period's digest lists
what was learnt late, so a coach sees that the past changed and how.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventstore import StoredEvent


def late_corrections(view: dict, events: Iterable[StoredEvent]) -> list[dict]:
    """Each late event as a coach reads it: type, its goal's statement (if any), when it occurred and was recorded."""
    goals = view["goals"]
    items = []
    for event in events:
        goal_id = event.data.get("goal_id")
        items.append(
            {
                "type": event.type,
                "goal_id": goal_id,
                "goal": goals.get(goal_id, {}).get("statement") if goal_id else None,
                "occurred_at": event.data["occurred_at"],
                "recorded_at": event.recorded_at.isoformat(),
            }
        )
    return items
