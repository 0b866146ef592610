"""Stream names: one client's career plan is the stream `client-<client id>`."""

from __future__ import annotations


def stream_id(client_id: str) -> str:
    """The event stream of one client's career plan."""
    return f"client-{client_id}"


def client_of(stream: str) -> str | None:
    """The client whose career plan `stream` is, or None for a stream of another kind."""
    prefix = stream_id("")
    return stream[len(prefix) :] if stream.startswith(prefix) else None
