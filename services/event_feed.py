"""An organisation's events in commit order: the event feed (`GET /v1/events`) and the export.

Both follow the store's gap-free feed (`EventStore.read_all_tagged`): its
cursor is a (transaction id, position) pair that is never handed out beyond
what every reader can see, so a reader that follows it sees each of its
organisation's events exactly once, even while writers append. The events
table has no organisation column: the feed is scanned in bounded windows,
reading only each event's cursor and organisation, and only the
organisation's own events are loaded and opened (erasure applied). A position
here is the cursor as a `(tx_id, position)` pair; the API makes it opaque.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

from domain.errors import InvalidValue
from eventstore import EventStore, FeedCursor, StoredEvent
from projections.queries import event_record

TAG = "organisation_id"  # every event's metadata names its organisation (services.plans.CommandContext)
SCAN = 2_000  # feed events looked at per statement
WINDOWS = 5  # statements a feed page may take before it answers with what it found
EXPORT_CHUNK = 2_000  # events loaded per statement while exporting

Position = tuple[int, int]


class CursorBeyondHead(InvalidValue):
    """A cursor past the head of the feed: no page ever handed it out (it was made up or edited)."""

    code = "cursor_beyond_head"


@dataclass(frozen=True)
class FeedItems:
    """A page of the feed: records, the position to continue after (never None), and whether it is the head."""

    items: list[dict]
    next_position: Position
    at_head: bool


class ExportLine(NamedTuple):
    """One line of an export: an event and the position after it; the last line has no event.

    A tuple rather than a dataclass: an export makes one per event, a million at 10,000 clients.
    """

    event: StoredEvent | None
    position: Position

    @property
    def record(self) -> dict | None:
        """The event's record as the feed shows it (`feed_record`); None on the last line."""
        return feed_record(self.event) if self.event is not None else None


class ExportText(NamedTuple):
    """One line of an export as sent: the event's record as JSON text and the position after it.

    The last line has no text. The text is what `json.dumps` writes for the record with its actor.
    """

    text: str | None
    position: Position


def _cursor(position: Position | None) -> FeedCursor:
    return FeedCursor(*position) if position is not None else FeedCursor.START


def _position(cursor: FeedCursor) -> Position:
    return (cursor.tx_id, cursor.position)


def feed_record(event: StoredEvent) -> dict:
    """An event as the feed and the export show it: the history's record (client id, hash, erasure)."""
    return event_record(event)


class OrganisationFeed:
    """Reads one organisation's events from the global feed, a page or a whole export at a time."""

    def __init__(self, store: EventStore, scan: int = SCAN, windows: int = WINDOWS):
        self._store = store
        self._scan = scan
        self._windows = windows

    def page(self, organisation_id: str, after: Position | None, limit: int) -> FeedItems:
        """Up to `limit` of the organisation's events after `after` (None: from the start).

        Looks at most `windows × scan` feed events: a page may hold fewer than
        `limit` events (even none) and yet not be the head (`at_head` False):
        follow `next_position` at once. At the head, `next_position` is where
        to poll from later.
        """
        cursor, found, at_head = self._checked(after, self._store.head()), [], False
        for _ in range(self._windows):
            part = self._store.read_all_tagged(
                TAG, organisation_id, cursor, limit - len(found), scan=self._scan
            )
            found += part.events
            cursor, at_head = part.cursor, part.reached_end
            if at_head or len(found) == limit:
                break
        return FeedItems([feed_record(e) for e in found], _position(cursor), at_head)

    def export(
        self, organisation_id: str, after: Position | None, chunk: int = EXPORT_CHUNK
    ) -> Iterator[ExportLine]:
        """Every event of the organisation after `after`, up to the head as the export starts, then the end.

        The cursor is checked now; the lines come from a generator that reads
        a chunk at a time as they are sent, so memory stays constant whatever
        the history's size, and each read is one short statement (no
        transaction stays open while a slow client downloads). Each line
        carries the position after it, so an export cut after line N resumes
        exactly after N; the last line (no record) carries the position to ask
        from later for what came since.
        """
        head = self._store.head()
        return self._lines(organisation_id, self._checked(after, head), head, chunk)

    def _lines(
        self, organisation_id: str, cursor: FeedCursor, head: FeedCursor, chunk: int
    ) -> Iterator[ExportLine]:
        """The lines, each window read on a thread of its own while the one before is sent.

        The database's time and this process's decoding and writing overlap
        (two cores at work instead of one taking turns); at most two windows
        are held at once. A caller that stops early waits for that one read.
        """
        read = functools.partial(
            self._store.read_all_tagged,
            TAG,
            organisation_id,
            limit=chunk,
            up_to=head,
            scan=max(self._scan, chunk),
        )
        with ThreadPoolExecutor(1, thread_name_prefix="export-read") as reader:
            ahead = reader.submit(read, cursor)
            while True:
                part = ahead.result()
                if not part.reached_end:
                    ahead = reader.submit(read, part.cursor)
                for event in part.events:
                    yield ExportLine(event, (event.tx_id, event.position))
                if part.reached_end:
                    yield ExportLine(None, _position(part.cursor))
                    return

    @staticmethod
    def _checked(after: Position | None, head: FeedCursor) -> FeedCursor:
        cursor = _cursor(after)
        if after is not None and cursor > head:
            raise CursorBeyondHead(
                "this cursor lies beyond the feed's head: pass a `next_cursor` or line `cursor` "
                "this service returned"
            )
        return cursor
