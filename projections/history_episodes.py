"""Which pivot episode a history entry belongs to: a pivot's events and the consequences they recorded.

A pivot reads as one episode: its own events (started, each decision,
completed or abandoned) name it by `pivot_id`; the goal and requirement
events a decision or the completion recorded as its consequence (GoalDropped,
RequirementRetired, DestinationRevised …) were appended by the same command,
so they carry the same correlation id (the request) and lie between the
pivot's start and its close. The stream's pivot events are read first (a
type filter in SQL: a handful however long the stream), like the history
filters' defining events.
"""

from __future__ import annotations

from collections.abc import Callable

from eventstore import EventStore, StoredEvent

PIVOT_TYPES = ("PivotStarted", "PivotDecisionRecorded", "PivotCompleted", "PivotAbandoned")
_ALL = 1_000_000
_OPEN_END = 1 << 62


def episode_of(store: EventStore, stream_id: str) -> Callable[[StoredEvent], str | None]:
    """A function naming the pivot (its id) whose episode an event of the stream belongs to, else None."""
    pivot_events = store.read_stream_page(stream_id, types=PIVOT_TYPES, limit=_ALL)
    if not pivot_events:
        return lambda event: None
    spans: dict[str, list[int]] = {}
    by_request: dict[str, str] = {}
    for event in pivot_events:
        pivot_id = event.data["pivot_id"]
        span = spans.setdefault(pivot_id, [event.stream_version, _OPEN_END])
        if event.type in ("PivotCompleted", "PivotAbandoned"):
            span[1] = event.stream_version
        request = (event.metadata or {}).get("correlation_id")
        if request:
            by_request[request] = pivot_id

    def episode(event: StoredEvent) -> str | None:
        if event.type in PIVOT_TYPES:
            return event.data["pivot_id"]
        pivot_id = by_request.get((event.metadata or {}).get("correlation_id") or "")
        if pivot_id is None:
            return None
        start, end = spans[pivot_id]
        return pivot_id if start <= event.stream_version <= end else None

    return episode
