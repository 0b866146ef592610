"""Value objects that cross the store's boundary: events going in and coming out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True)
class NewEvent:
    """An event the application wants appended: a past-tense fact plus its metadata.

    `event_id` is chosen by the caller so that a retried append is recognised.
    `metadata` holds organisation, actor, correlation and causation ids.
    """

    type: str
    data: dict[str, Any]
    schema_version: int = 1
    metadata: dict[str, Any] = field(default_factory=dict)
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, order=True)
class FeedCursor:
    """A reader's place in the global feed.

    The feed is ordered by (transaction id, position), not by position alone:
    positions are taken before commit, so commit order and position order
    differ; transaction ids below the oldest running transaction are final.
    """

    tx_id: int
    position: int

    START: ClassVar[FeedCursor]

    def __str__(self) -> str:
        return f"{self.tx_id}:{self.position}"

    @classmethod
    def parse(cls, text: str) -> FeedCursor:
        """Read a cursor back from its `tx:position` text form (checkpoints, APIs)."""
        tx, _, pos = text.partition(":")
        return cls(int(tx), int(pos))


FeedCursor.START = FeedCursor(-1, 0)


@dataclass(frozen=True)
class StoredEvent:
    """An event as the store holds it; `data` is already upcast to the current schema."""

    position: int
    tx_id: int
    stream_id: str
    stream_version: int
    event_id: uuid.UUID
    type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: datetime
    # The hash chain (see eventstore.chain): this event's hash and its predecessor's.
    hash: bytes = b""
    prev_hash: bytes | None = None
    # None while the stream's subject may be read. Once the subject was
    # forgotten (their data key destroyed): the personal fields that could not
    # be opened, which read as None in `data` (empty for an event with none).
    erased: tuple[str, ...] | None = None

    @property
    def forgotten(self) -> bool:
        """True when the stream's subject was forgotten: their personal data is erased."""
        return self.erased is not None

    @property
    def cursor(self) -> FeedCursor:
        """The feed position just after this event."""
        return FeedCursor(self.tx_id, self.position)


_STORED_FIELDS = tuple(f.name for f in fields(StoredEvent))
_new = object.__new__


def stored_event(*values: Any) -> StoredEvent:
    """A `StoredEvent` of every field's value, in field order, as a decoder makes one per row read.

    The same frozen event as `StoredEvent(*values)`, built without the frozen
    dataclass's `__init__`, which sets each of its 13 fields through
    `object.__setattr__`: for a rebuild that reads every event, that was a
    tenth of a worker's CPU.
    """
    event = _new(StoredEvent)
    event.__dict__.update(zip(_STORED_FIELDS, values))
    return event


@dataclass(frozen=True)
class FeedPage:
    """A part of the global feed narrowed to the events tagged with one value (an organisation's).

    `cursor` is where to continue: after the last event when the page is full,
    else after the last event *scanned*, tagged or not (so a sparse tag still
    advances), and never beyond what every reader can see. `reached_end` says
    the scan met the readable end of the feed (or its `up_to`): nothing more
    to read for now.
    """

    events: list[StoredEvent]
    cursor: FeedCursor
    reached_end: bool


@dataclass(frozen=True)
class TypedPage:
    """A part of the global feed narrowed to events of some types (those a projection handles).

    `cursor` is where to continue: after the last event when the page is
    full, else after the last event *scanned*, of any type, and never beyond
    what every reader can see. `passed` counts the feed events the page moves
    past (its own and the others'); `reached_end` says the scan met the
    readable end of the feed.
    """

    events: list[StoredEvent]
    cursor: FeedCursor
    passed: int
    reached_end: bool


@dataclass(frozen=True)
class DataMatch:
    """A content filter on one stream: data field `name` holds one of `naming[name]`, or the version is listed.

    Only ids kept in the clear can be matched (sealed personal fields cannot).
    """

    naming: dict[str, frozenset[str]]
    at_versions: frozenset[int] = frozenset()
