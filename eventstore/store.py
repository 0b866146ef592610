"""Append-only event streams with optimistic concurrency and a gap-free global feed."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from eventstore import driver, json_text
from eventstore.chain import ChainReport, check_rows
from eventstore.codec import EventCodec
from eventstore.engine import autocommit_engine
from eventstore.errors import ConcurrencyConflict, EventIdReused
from eventstore.records import DataMatch, FeedCursor, FeedPage, NewEvent, StoredEvent, TypedPage
from eventstore.schema import events

_COLUMNS = [c for c in events.c]
_FEED_ORDER = (events.c.tx_id, events.c.position)
# Built once: a prebuilt statement skips construction and cache-key work on the hot path.
_READ_STREAM = (
    sa.select(*_COLUMNS)
    .where(events.c.stream_id == sa.bindparam("stream_id"))
    .order_by(events.c.stream_version)
)
_READ_STREAM_AFTER = _READ_STREAM.where(events.c.stream_version > sa.bindparam("after_version"))
# Several streams at once: on PostgreSQL the ids are one array parameter, so the text is
# compiled once (an expanded IN list of a chunk's ids is rendered and parsed every time).
_STREAMS_IN_ORDER = sa.select(*_COLUMNS).order_by(events.c.stream_id, events.c.stream_version)
_READ_STREAMS = _STREAMS_IN_ORDER.where(
    events.c.stream_id == sa.any_(sa.bindparam("stream_ids", type_=ARRAY(sa.String)))
)
_FILLED = (events.c.position, events.c.tx_id)
_INSERT_ONE = events.insert().returning(*_FILLED)
_INSERT_MANY = events.insert().returning(*_FILLED, sort_by_parameter_order=True)
# Oldest transaction still running: every transaction below it has ended, so
# events below it can no longer appear behind a reader (PostgreSQL only).
_PG_HORIZON = sa.literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
_LAST_HASH = (
    sa.select(events.c.hash)
    .where(events.c.stream_id == sa.bindparam("stream_id"))
    .order_by(events.c.stream_version.desc())
    .limit(1)
)


# The feed's events with their JSON read as text and parsed by the codec (the driver's
# per-value loader costs more). A feed window's tagged events are found by position: on
# PostgreSQL the positions are one array parameter, so the statement's text stays the
# same (an expanded IN list of 500 ids was rendered, and parsed again by the driver, on
# every window of an export).
def _json_as_text(columns) -> list:
    """The columns with data and metadata cast to text (parsed by the codec, not the driver)."""
    return [sa.cast(c, sa.Text) if c.name in ("data", "metadata") else c for c in columns]


_JSON_AS_TEXT = _json_as_text(_COLUMNS)
_AT_POSITIONS = {
    "postgresql": sa.select(*_JSON_AS_TEXT)
    .where(events.c.position == sa.any_(sa.bindparam("positions", type_=ARRAY(sa.BigInteger))))
    .order_by(*_FEED_ORDER),
    "sqlite": sa.select(*_JSON_AS_TEXT)
    .where(events.c.position.in_(sa.bindparam("positions", expanding=True)))
    .order_by(*_FEED_ORDER),
}
_UNKNOWN = object()
# The columns a new event's row gives (the database fills position, tx_id).
_ENCODED = tuple(c.name for c in _COLUMNS if c.name not in ("position", "tx_id"))

log = logging.getLogger(__name__)
AppendListener = Callable[[list[StoredEvent]], None]
# A share of the streams: the ids after the first bound and up to the second (None: unbounded).
StreamRange = tuple[str | None, str | None]


def _matches(match: DataMatch) -> sa.ColumnElement[bool]:
    """The SQL condition of a `DataMatch`: the data names one of the ids, or the version is listed."""
    named = (
        events.c.data[name].as_string().in_(sorted(values))
        for name, values in match.naming.items()
        if values
    )
    listed = (events.c.stream_version.in_(sorted(match.at_versions)),) if match.at_versions else ()
    return sa.or_(sa.false(), *named, *listed)


class EventStore:
    """Streams of events, one per aggregate, in one table.

    Appends are atomic and checked against the version the caller saw; a
    retried append (same event ids, same content) returns what was stored.
    """

    def __init__(
        self, engine: sa.Engine, codec: EventCodec | None = None, reader: sa.Engine | None = None
    ):
        self.engine = engine
        # Reads, and the append of a single event, are single statements: they run
        # in autocommit (`reader`, made beside `engine` unless the caller shares one).
        self._autocommit = reader if reader is not None else autocommit_engine(engine)
        self._codec = codec or EventCodec()
        self._horizon = _PG_HORIZON if engine.dialect.name == "postgresql" else None
        self._listeners: list[AppendListener] = []
        # On PostgreSQL, the commands' statements go to the driver's cursor (see eventstore.driver).
        self._driver_sql = (
            {
                "read": driver.compile_for(engine, _READ_STREAM),
                "read_after": driver.compile_for(engine, _READ_STREAM_AFTER),
                "read_streams": driver.compile_for(engine, _READ_STREAMS),
                "insert": driver.compile_for(engine, _INSERT_ONE, column_keys=_ENCODED),
                "at_positions": driver.compile_for(engine, _AT_POSITIONS["postgresql"]),
            }
            if self._horizon is not None
            else None
        )

    def on_append(self, listener: AppendListener) -> None:
        """Call `listener(stored)` after every append that stored new events (metrics, not logic).

        It runs after the commit, so it must not decide anything; one that
        raises is logged and ignored. A retried append stores nothing new and
        calls no listener.
        """
        self._listeners.append(listener)

    def append(
        self,
        stream_id: str,
        new_events: Sequence[NewEvent],
        expected_version: int,
        previous_hash: bytes | None | object = _UNKNOWN,
    ) -> list[StoredEvent]:
        """Append events after `expected_version` (0 = new stream) in one transaction.

        Each event is chained to the one before it; a caller that has just read
        the stream passes the last event's hash as `previous_hash`, which saves
        looking it up. Raises ConcurrencyConflict when the stream is not at that
        version (or the given hash is not its last), and EventIdReused when an
        event id is stored with different content.
        """
        if not new_events:
            return []
        if previous_hash is _UNKNOWN:
            previous_hash = self._last_hash(stream_id) if expected_version else None
        recorded_at = datetime.now(timezone.utc)
        rows = []
        for i, event in enumerate(new_events, start=1):
            rows.append(
                self._codec.encode(
                    stream_id, expected_version + i, event, previous_hash, recorded_at
                )
            )
            previous_hash = rows[-1]["hash"]
        try:
            if len(rows) == 1:
                filled = self._insert_one(rows[0])
            else:
                with self.engine.begin() as conn:
                    filled = conn.execute(_INSERT_MANY, rows).all()
        except sa.exc.IntegrityError:
            # Stale version, a gap, or a retry of events already stored.
            stored = self._stored_retry(stream_id, new_events)
            if stored is None:
                raise ConcurrencyConflict(
                    stream_id, expected_version, self.stream_version(stream_id)
                ) from None
            return stored
        appended = [
            self._codec.decode_appended(row, f, event)
            for row, f, event in zip(rows, filled, new_events)
        ]
        for listener in self._listeners:
            try:
                listener(appended)
            except Exception:  # noqa: BLE001 - the events are committed; a listener must not undo the answer
                log.exception("event store append listener failed")
        return appended

    @property
    def reader(self) -> sa.Engine:
        """An engine in autocommit, for single-statement reads of any table (no BEGIN/ROLLBACK)."""
        return self._autocommit

    def close(self) -> None:
        """Close the store's own autocommit connections (the engine is the caller's)."""
        self._autocommit.dispose()

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        as_of: datetime | None = None,
    ) -> list[StoredEvent]:
        """One stream in version order, optionally only after a version, up to one, or up to a recorded time."""
        query, params = _READ_STREAM, {"stream_id": stream_id}
        if after_version:
            query, params["after_version"] = _READ_STREAM_AFTER, after_version
        if self._driver_sql is not None and up_to_version is None and as_of is None:
            sql = self._driver_sql["read_after" if after_version else "read"]
            rows = driver.fetch_all(self._autocommit, sql, params, jsonb_loader=driver.TEXT_LOADER)
            return self._codec.decode_rows(rows, json_as_text=True)
        if up_to_version is not None:
            query = query.where(events.c.stream_version <= up_to_version)
        if as_of is not None:
            query = query.where(events.c.recorded_at <= as_of)
        with self._autocommit.connect() as conn:
            rows = conn.execute(query, params).all()
        return self._codec.decode_rows(rows)

    def read_streams(self, stream_ids: Collection[str]) -> dict[str, list[StoredEvent]]:
        """Several whole streams in one statement, each in version order (empty when it has none).

        For work on a batch of clients (a sweep's or a digest run's chunk): one
        round trip, and their keys fetched once, instead of one read per stream.
        """
        if self._driver_sql is not None:
            params = {"stream_ids": sorted(stream_ids)}
            rows = driver.fetch_all(
                self._autocommit,
                self._driver_sql["read_streams"],
                params,
                jsonb_loader=driver.TEXT_LOADER,
            )
            stored = self._codec.decode_rows(rows, json_as_text=True)
        else:  # SQLite has no arrays: the ids as an IN list
            query = _STREAMS_IN_ORDER.where(events.c.stream_id.in_(sorted(stream_ids)))
            with self._autocommit.connect() as conn:
                stored = self._codec.decode_rows(conn.execute(query).all())
        found: dict[str, list[StoredEvent]] = {stream: [] for stream in stream_ids}
        for event in stored:
            found[event.stream_id].append(event)
        return found

    def forgotten(self, stream_ids: Collection[str]) -> set[str]:
        """Those of these streams whose subject is forgotten now: their personal data reads as erased."""
        return self._codec.forgotten(stream_ids)

    def stream_version(self, stream_id: str) -> int:
        """The version of the stream's last event; 0 when the stream is empty."""
        query = sa.select(sa.func.coalesce(sa.func.max(events.c.stream_version), 0)).where(
            events.c.stream_id == stream_id
        )
        with self._autocommit.connect() as conn:
            return conn.execute(query).scalar_one()

    def read_all(
        self, after: FeedCursor = FeedCursor.START, limit: int = 1000
    ) -> list[StoredEvent]:
        """The next events of the global feed after `after`, in commit-safe order.

        Each returned event's `cursor` is where to continue; a reader that
        follows cursors sees every committed event exactly once.
        """
        query = (
            self._feed_after(sa.select(*_JSON_AS_TEXT), after).order_by(*_FEED_ORDER).limit(limit)
        )
        with self._autocommit.connect() as conn:
            rows = conn.execute(query).all()
        return self._codec.decode_rows(rows, json_as_text=True)

    def read_all_tagged(
        self,
        key: str,
        value: str,
        after: FeedCursor = FeedCursor.START,
        limit: int = 100,
        *,
        up_to: FeedCursor | None = None,
        scan: int = 2000,
    ) -> FeedPage:
        """The next events of the feed whose metadata `key` holds `value` (an organisation's), in feed order.

        The events table has no column per tag, so this walks the feed's index
        in one bounded window of `scan` events after `after` (up to `up_to`
        when given), reading only their cursors and tags in one statement (one
        snapshot, one visibility horizon), then loads and opens only the tagged
        ones: a page costs O(scan) whatever the store's size, and no other
        tag's event is decoded. See `FeedPage` for where to continue.
        """
        tagged = events.c.metadata[key].as_string() == value
        window = self._feed_after(sa.select(*_FEED_ORDER, tagged), after)
        if up_to is not None:
            window = window.where(sa.tuple_(*_FEED_ORDER) <= sa.tuple_(up_to.tx_id, up_to.position))
        with self._autocommit.connect() as conn:
            scanned = conn.execute(window.order_by(*_FEED_ORDER).limit(scan)).all()
        hits = [(tx, position) for tx, position, hit in scanned if hit][:limit]
        rows = self._at_positions([position for _, position in hits]) if hits else []
        last = FeedCursor(scanned[-1][0], scanned[-1][1]) if scanned else after
        cursor = FeedCursor(*hits[-1]) if len(hits) == limit else last
        # At the end when the window came short of `scan` and the page did not stop before its last event.
        return FeedPage(
            self._codec.decode_rows(rows, json_as_text=True),
            cursor,
            len(scanned) < scan and cursor == last,
        )

    def read_all_of_types(
        self,
        types: Collection[str],
        after: FeedCursor = FeedCursor.START,
        limit: int = 500,
        *,
        scan: int = 10_000,
    ) -> TypedPage:
        """The next events of the feed of the given types, in feed order, and where the feed was read to.

        For a projection that handles a few types (the notices): it walks the
        feed's index over at most `scan` events after `after`, numbering them
        and counting the matches in the database, and stops at the `limit`-th
        match; only the matches (and the last event scanned, for its cursor)
        are sent back, and only the matches are decoded. One statement, so one
        snapshot and one visibility horizon: the page's cursor never passes an
        event a later read could still see appear before it. See `TypedPage`.
        """
        if not types:
            raise ValueError("read_all_of_types needs at least one event type")
        postgres = self._horizon is not None
        wanted = (
            events.c.type == sa.any_(sa.literal(sorted(types), ARRAY(sa.String)))
            if postgres
            else events.c.type.in_(sorted(types))
        )
        scanned = (
            self._feed_after(sa.select(*_FEED_ORDER, wanted.label("wanted")), after)
            .order_by(*_FEED_ORDER)
            .limit(scan)
            .subquery("scanned")
        )
        order = (scanned.c.tx_id, scanned.c.position)
        numbered = sa.select(
            *order,
            scanned.c.wanted,
            sa.func.row_number().over(order_by=order).label("n"),
            sa.func.sum(sa.case((scanned.c.wanted, 1), else_=0)).over(order_by=order).label("hits"),
            sa.func.lead(scanned.c.position).over(order_by=order).is_(None).label("last"),
        ).subquery("numbered")
        hit = events.alias("hit")
        # The limit-th match comes before the window's last event or is it, so `limit` rows hold
        # every match wanted plus, when fewer matched, the last event scanned.
        query = (
            sa.select(
                numbered.c.n,
                numbered.c.last,
                numbered.c.tx_id,
                numbered.c.position,
                numbered.c.wanted,
                *_json_as_text(hit.c),
            )
            .select_from(
                numbered.outerjoin(
                    hit, sa.and_(hit.c.position == numbered.c.position, numbered.c.wanted)
                )
            )
            .where(sa.or_(sa.and_(numbered.c.wanted, numbered.c.hits <= limit), numbered.c.last))
            .order_by(numbered.c.tx_id, numbered.c.position)
            .limit(limit)
        )
        with self._autocommit.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return TypedPage([], after, 0, True)
        n, last, tx_id, position, *_ = rows[-1]
        return TypedPage(
            self._codec.decode_rows([row[5:] for row in rows if row[4]], json_as_text=True),
            FeedCursor(tx_id, position),
            n,
            bool(last) and n < scan,
        )

    def _at_positions(self, positions: list[int]) -> Sequence[tuple]:
        """The rows at these positions, in feed order, JSON as text (for `read_all_tagged`)."""
        if self._driver_sql is None:
            with self._autocommit.connect() as conn:
                return conn.execute(
                    _AT_POSITIONS[conn.dialect.name], {"positions": positions}
                ).all()
        # The positions as one array literal: the driver's dumping of a list of
        # ints, element by element in Python, cost more than reading the rows.
        literal = "{" + ",".join(map(str, positions)) + "}"
        return driver.fetch_all(
            self._autocommit, self._driver_sql["at_positions"], {"positions": literal}
        )

    def head(self) -> FeedCursor:
        """The cursor of the last event a follower can read now (START when there is none)."""
        query = self._feed_after(sa.select(events.c.tx_id, events.c.position), FeedCursor.START)
        with self._autocommit.connect() as conn:
            row = conn.execute(query.order_by(*(c.desc() for c in _FEED_ORDER)).limit(1)).first()
        return FeedCursor(*row) if row else FeedCursor.START

    def scan_streams(
        self,
        up_to: FeedCursor,
        batch_size: int = 5000,
        *,
        streams: StreamRange = (None, None),
    ) -> Iterator[list[StoredEvent]]:
        """Every event up to `up_to`, stream by stream in version order, in bounded batches.

        For rebuilding views that depend on one stream each: a whole stream
        folds in one pass, and memory stays bounded whatever the store's size.
        `streams` narrows the scan to the stream ids after its first bound and
        up to its second (None: unbounded), the share of one of several scans
        (see `stream_ranges`). Rows are fetched through the driver's own
        server-side cursor: a rebuild reads every event, and SQLAlchemy's
        result rows cost more than the decoding they feed.
        """
        query = sa.select(*_COLUMNS).where(
            sa.tuple_(*_FEED_ORDER) <= sa.tuple_(up_to.tx_id, up_to.position)
        )
        after, through = streams
        if after is not None:
            query = query.where(events.c.stream_id > after)
        if through is not None:
            query = query.where(events.c.stream_id <= through)
        query = query.order_by(events.c.stream_id, events.c.stream_version)
        with self.engine.connect() as conn:
            if conn.dialect.name != "postgresql":
                result = conn.execution_options(yield_per=batch_size).execute(query)
                for rows in result.partitions():
                    yield self._codec.decode_rows(rows)
                return
            compiled = query.compile(dialect=conn.dialect)
            driver_connection = conn.connection.driver_connection
            with driver_connection.cursor(name=f"scan_{uuid.uuid4().hex[:12]}") as cursor:
                # JSON documents come as text and are parsed in one pass per batch: the
                # driver's per-value call of a Python loader cost more than the parsing.
                cursor.adapters.register_loader("jsonb", driver.TEXT_LOADER)
                cursor.execute(str(compiled), compiled.params)
                while rows := cursor.fetchmany(batch_size):
                    yield self._codec.decode_rows(rows, json_as_text=True)

    def stream_ranges(
        self, up_to: FeedCursor, parts: int, most_streams: int | None = None
    ) -> list[StreamRange]:
        """The streams with events up to `up_to`, cut into ranges of about as many streams each.

        `parts` ranges, or more when a range would hold over `most_streams`
        streams; fewer when there are fewer streams. Each range is (after,
        through) as `scan_streams` takes it; together they cover every
        stream once, in stream id order.
        """
        query = (
            sa.select(events.c.stream_id)
            .where(sa.tuple_(*_FEED_ORDER) <= sa.tuple_(up_to.tx_id, up_to.position))
            .group_by(events.c.stream_id)
            .order_by(events.c.stream_id)
        )
        with self._autocommit.connect() as conn:
            ids = conn.execute(query).scalars().all()
        if most_streams:
            parts = max(parts, -(-len(ids) // most_streams))
        parts = max(1, min(parts, len(ids)))
        cuts = [ids[len(ids) * n // parts - 1] for n in range(1, parts)]
        return list(zip([None, *cuts], [*cuts, None]))

    def read_stream_page(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        types: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        matching: Sequence[DataMatch] = (),
        newest_first: bool = False,
    ) -> list[StoredEvent]:
        """A page of one stream's history after a version, filtered by type, recorded time and content.

        Each of `matching` keeps only the events it matches (see `DataMatch`):
        `DataMatch({"goal_id": {g}})` keeps the events about goal g. The
        filters run in SQL, over the stream's index. `newest_first` reads the
        stream backwards: "after" is then the version the page goes on below
        (0: from the newest event).
        """
        if newest_first:
            query = _READ_STREAM.order_by(None).order_by(events.c.stream_version.desc())
            if after_version:
                query = query.where(events.c.stream_version < after_version)
        else:
            query = _READ_STREAM.where(events.c.stream_version > after_version)
        if types:
            query = query.where(events.c.type.in_(list(types)))
        for match in matching:
            query = query.where(_matches(match))
        if since is not None:
            query = query.where(events.c.recorded_at >= since)
        if until is not None:
            query = query.where(events.c.recorded_at < until)
        with self._autocommit.connect() as conn:
            rows = conn.execute(query.limit(limit), {"stream_id": stream_id}).all()
        return self._codec.decode_rows(rows)

    def count_after(self, after: FeedCursor = FeedCursor.START) -> int:
        """How many readable events lie beyond a cursor: a follower's lag."""
        query = self._feed_after(sa.select(sa.func.count()).select_from(events), after)
        with self._autocommit.connect() as conn:
            return conn.execute(query).scalar_one()

    def _feed_after(self, query: sa.Select, after: FeedCursor) -> sa.Select:
        query = query.where(sa.tuple_(*_FEED_ORDER) > sa.tuple_(after.tx_id, after.position))
        if self._horizon is not None:
            query = query.where(events.c.tx_id < self._horizon)
        return query

    def _stored_retry(
        self, stream_id: str, new_events: Sequence[NewEvent]
    ) -> list[StoredEvent] | None:
        """The stored events when `new_events` were all appended before, else None."""
        ids: list[uuid.UUID] = [e.event_id for e in new_events]
        with self._autocommit.connect() as conn:
            rows = conn.execute(sa.select(*_COLUMNS).where(events.c.event_id.in_(ids))).all()
        if not rows:
            return None
        by_id = {stored.event_id: stored for stored in self._codec.decode_rows(rows)}
        for event in new_events:
            stored = by_id.get(event.event_id)
            reason = (
                "not stored" if stored is None else self._codec.same_event(stored, stream_id, event)
            )
            if reason:
                raise EventIdReused(event.event_id, reason)
        return [by_id[e.event_id] for e in new_events]

    def _insert_one(self, row: dict) -> list[tuple]:
        """Store one encoded event in its own transaction; its (position, tx_id)."""
        if self._driver_sql is None:
            with self._autocommit.connect() as conn:
                return conn.execute(_INSERT_ONE, row).all()
        params = {
            **row,
            "data": json_text.dumps(row["data"]),
            "metadata": json_text.dumps(row["metadata"]),
        }
        return driver.fetch_all(self._autocommit, self._driver_sql["insert"], params)

    def _last_hash(self, stream_id: str) -> bytes | None:
        with self._autocommit.connect() as conn:
            return conn.execute(_LAST_HASH, {"stream_id": stream_id}).scalar()

    def verify(
        self,
        stream_ids: Sequence[str] | None = None,
        *,
        tagged: tuple[str, str] | None = None,
        streams_per_query: int = 200,
    ) -> ChainReport:
        """Check the hash chain of the given streams (every stream when None), as stored.

        `tagged=(key, value)` narrows the check to streams whose events'
        metadata hold that value (say, one organisation's streams).
        Reads the rows as they are in the table, sealed and at their stored
        schema, a few streams per short query (no long transaction holds the
        feed back), and reports each stream's first broken link.
        """
        report = ChainReport()
        if stream_ids is not None:
            for start in range(0, len(stream_ids), streams_per_query):
                self._check_streams(list(stream_ids[start : start + streams_per_query]), report)
            return report
        # Every stream with any row left, so a stream whose first event was removed is checked too.
        streams = sa.select(events.c.stream_id).distinct()
        if tagged is not None:
            key, value = tagged
            streams = streams.where(events.c.metadata[key].as_string() == value)
        after = ""
        while True:
            with self._autocommit.connect() as conn:
                batch = (
                    conn.execute(
                        streams.where(events.c.stream_id > after)
                        .order_by(events.c.stream_id)
                        .limit(streams_per_query)
                    )
                    .scalars()
                    .all()
                )
            if not batch:
                return report
            self._check_streams(batch, report)
            after = batch[-1]

    def _check_streams(self, stream_ids: list[str], report: ChainReport) -> None:
        query = (
            sa.select(*_COLUMNS)
            .where(events.c.stream_id.in_(stream_ids))
            .order_by(events.c.stream_id, events.c.stream_version)
        )
        with self._autocommit.connect() as conn:
            check_rows(conn.execute(query), report)
