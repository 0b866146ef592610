"""Stream names: one client's career plan is the stream `client-<client id>`."""

from __future__ import annotations

from collections.abc import Iterable

from eventstore.records import StoredEvent


def stream_id(client_id: str) -> str:
    """The event stream of one client's career plan."""
    return f"client-{client_id}"


def client_of(stream: str) -> str | None:
    """The client whose career plan `stream` is, or None for a stream of another kind."""
    prefix = stream_id("")
    return stream[len(prefix) :] if stream.startswith(prefix) else None


def events_by_client(events: Iterable[StoredEvent]) -> dict[str, list[StoredEvent]]:
    """Events of client streams grouped by client, in the order given (other streams left out)."""
    grouped: dict[str, list[StoredEvent]] = {}
    for event in events:
        if (client_id := client_of(event.stream_id)) is not None:
            grouped.setdefault(client_id, []).append(event)
    return grouped
