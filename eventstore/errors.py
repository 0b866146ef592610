"""Typed failures of the event store, so callers can map them without parsing text."""


class EventStoreError(Exception):
    """Base class of every error the store raises on purpose."""


class ConcurrencyConflict(EventStoreError):
    """The stream moved on since the caller read it: the append wrote nothing.

    The caller re-reads the stream and decides again (or reports HTTP 409/412).
    """

    def __init__(self, stream_id: str, expected_version: int, actual_version: int):
        self.stream_id = stream_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"stream {stream_id} is at version {actual_version}, "
            f"not the expected {expected_version}"
        )


class EventIdReused(EventStoreError):
    """An event id is already stored with different content.

    A retry must resend the very same event; a different event under a stored
    id would otherwise be reported as stored when it was not.
    """

    def __init__(self, event_id, detail: str):
        self.event_id = event_id
        super().__init__(f"event {event_id} is already stored with different content: {detail}")
