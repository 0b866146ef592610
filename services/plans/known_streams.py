"""What this process last read of each client's stream, so a command reads only what came after.

A plan is decided on its whole history, but its events never change: once
read (opened, upcast, turned into domain events) they are kept here, and the
next command on the same plan reads only the events appended since, by any
process. Replaying the kept domain events is cheap; reading, opening and
decoding a long stream on every command is not.

Two things are never taken from here. Whether the client is forgotten is
asked of the store on every read (a destroyed key anywhere takes effect at
once), and a stream found forgotten is dropped. And a stale entry cannot
lead to a wrong append: the append names the version and hash it follows,
and the store refuses it when they are not the stream's last.

Like the sealing keys, entries live in process memory until evicted
(least recently used first, at most `capacity` streams; a kept event takes
about 200 bytes, so 2,000 streams of 100 events hold some 40 MB).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from domain.events import Event
from eventstore import EventStore, StoredEvent
from services.plans.event_mapping import to_domain

CAPACITY = 2_000


@dataclass(frozen=True)
class KnownStream:
    """A client's stream up to `version`: its domain events, and what commands check against."""

    version: int = 0
    last_hash: bytes | None = None
    organisation_id: str | None = None
    events: tuple[Event, ...] = ()
    # The stored events of each idempotency key seen, for a retried command's answer.
    by_idempotency_key: Mapping[str, tuple[StoredEvent, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    forgotten: bool = False

    def extended(
        self, stored: Sequence[StoredEvent], *, forgotten: bool | None = None
    ) -> KnownStream:
        """This stream with `stored` (the events right after `version`) added.

        `forgotten` is what the store says now; when not given, the events' own marks say it.
        """
        if forgotten is None:
            forgotten = self.forgotten or any(e.forgotten for e in stored)
        if not stored and forgotten == self.forgotten:
            return self
        last = stored[-1] if stored else None
        keyed = dict(self.by_idempotency_key)
        for event in stored:
            if (key := event.metadata.get("idempotency_key")) is not None:
                keyed[key] = (*keyed.get(key, ()), event)
        return KnownStream(
            version=last.stream_version if last else self.version,
            last_hash=last.hash if last else self.last_hash,
            organisation_id=self.organisation_id
            or (stored[0].data.get("organisation_id") if stored else None),
            # A forgotten client's events have their personal fields erased: they are not decided on.
            events=() if forgotten else self.events + tuple(to_domain(e) for e in stored),
            by_idempotency_key=MappingProxyType(keyed),
            forgotten=forgotten,
        )


class KnownStreams:
    """Per-process memory of clients' streams, brought up to date on every read."""

    def __init__(self, store: EventStore, capacity: int = CAPACITY):
        self._store = store
        self._capacity = capacity
        self._known: OrderedDict[str, KnownStream] = OrderedDict()
        self._lock = threading.Lock()

    def read(self, stream_id: str) -> KnownStream:
        """The stream as it stands now: what is kept, the events appended since, and whether it is forgotten."""
        kept = self._get(stream_id)
        if kept is None:
            return self._keep(stream_id, KnownStream().extended(self._store.read_stream(stream_id)))
        tail = self._store.read_stream(stream_id, after_version=kept.version)
        # Events read now were opened with the key as it is now; with none, the key is asked directly.
        forgotten = None if tail else stream_id in self._store.forgotten([stream_id])
        return self._keep(stream_id, kept.extended(tail, forgotten=forgotten))

    def read_ahead(self, stream_ids: Sequence[str]) -> dict[str, KnownStream]:
        """The streams as they stand now, those not kept read in one statement and not kept.

        For a batch of clients each commanded once (a sweep's chunk): reading
        them one by one costs a round trip each, and keeping them would push
        out the plans the API works on (and grow the process by the sweep).
        """
        kept = {stream: self._get(stream) for stream in stream_ids}
        missing = [stream for stream, known in kept.items() if known is None]
        read = self._store.read_streams(missing) if missing else {}
        return {
            stream: KnownStream().extended(read[stream]) if known is None else self.read(stream)
            for stream, known in kept.items()
        }

    def appended(self, stream_id: str, read: KnownStream, stored: Sequence[StoredEvent]) -> None:
        """Note the events a command appended right after what it read."""
        if stored and stored[0].stream_version == read.version + 1:
            self._keep(stream_id, read.extended(stored))

    def forget(self, stream_id: str) -> None:
        """Drop what is kept of the stream (a conflict showed it stale, or its client was forgotten)."""
        with self._lock:
            self._known.pop(stream_id, None)

    def _get(self, stream_id: str) -> KnownStream | None:
        with self._lock:
            kept = self._known.get(stream_id)
            if kept is not None:
                self._known.move_to_end(stream_id)
            return kept

    def _keep(self, stream_id: str, known: KnownStream) -> KnownStream:
        # A forgotten client's data is not kept in memory; nor is a stream with no events
        # (requests for clients that do not exist must not push real plans out).
        if known.forgotten or not known.version:
            self.forget(stream_id)
            return known
        with self._lock:
            self._known[stream_id] = known
            self._known.move_to_end(stream_id)
            while len(self._known) > self._capacity:
                self._known.popitem(last=False)
        return known
