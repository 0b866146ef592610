"""One organisation's clients as the store would hold them, loaded by COPY with valid hash chains.

The domain decides one template client's history once (`bench.history`);
every client is a copy of it with its own ids, coach and recorded times,
sealed under its own data key and chained by the store's own codec
(`EventCodec.encode`), so the rows are those the store would have written:
the chain trigger stays on while they go in, and `EventStore.verify` and a
replay through the domain accept them. Clients are interleaved a block at a
time (events of `BLOCK` clients take turns, as a live feed mixes them),
and each block's data keys are made in one statement and stay in the
sealer's cache while its rows are sealed.

One client (`big_client_id`) may carry a long history: the template's
weekly cycle (add a milestone, complete it, record a check-in), as the
domain decided it, repeated with new ids a week later each time.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import NamedTuple

import psycopg
import sqlalchemy as sa

from bench.history import BENCH_MASTER_KEY, TEMPLATE_CLIENT, template_history
from careerplan.seed_example import seed_id
from eventstore.codec import EventCodec
from eventstore.records import NewEvent
from services.privacy.client_keys import ClientKeys
from services.privacy.sealing import ClientDataSealer

BLOCK = 500  # clients whose events take turns in the feed; also one coach's caseload
CLIENTS_PER_COACH = 500
COLUMNS = (
    "stream_id, stream_version, event_id, type, schema_version, data, metadata, "
    "recorded_at, prev_hash, hash"
)
_CYCLE = ("MilestoneAdded", "MilestoneCompleted", "CheckInRecorded")
_INSTANT = re.compile(r'"occurred_at": "([^"]+)"')

Template = list[tuple[str, int, dict]]


class Loaded(NamedTuple):
    """What a load stored: the events, and the transaction that wrote them (the feed shows
    them once every transaction older than it has ended, cluster-wide)."""

    events: int
    tx_id: int


def client_id(n: int) -> str:
    """The id of the n-th client of the grown organisation (a UUID, as the API expects)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-scale-client-{n}"))


def big_client_id() -> str:
    """The id of the client with the long history."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "bench-scale-big-client"))


def coach_of(n: int) -> str:
    """The coach of the n-th client: each coach has `CLIENTS_PER_COACH` clients."""
    return f"coach-{n // CLIENTS_PER_COACH + 1}"


def long_history(events: int) -> Template:
    """A history of `events` events: the template's year, then its last weekly cycle repeated.

    Deciding thousands of commands one by one costs time quadratic in the
    history (each decision works on a copy of the plan), so the domain
    decides one cycle and the later weeks are that cycle with new milestone
    and check-in ids, a week later each time.
    """
    template = template_history(100)
    types = [t for t, _, _ in template]
    start = max(i for i in range(len(types) - 2) if tuple(types[i : i + 3]) == _CYCLE)
    cycle = template[start : start + 3]
    last_week = _week_of(cycle[0][2]["milestone_id"])
    history = template[:start] + cycle
    week = last_week
    while len(history) < events:
        week += 1
        history += [_next_week(entry, last_week, week) for entry in cycle]
    return history[:events]


def _week_of(milestone_id: str) -> int:
    for week in range(1000):
        if seed_id(TEMPLATE_CLIENT, "bench-milestone", str(week)) == milestone_id:
            return week
    raise ValueError("the template's cycle names no bench milestone")


def _next_week(entry: tuple[str, int, dict], from_week: int, week: int) -> tuple[str, int, dict]:
    type_, version, data = entry
    text = json.dumps(data)
    for kind in ("bench-milestone", "bench-check-in"):
        text = text.replace(
            seed_id(TEMPLATE_CLIENT, kind, str(from_week)),
            seed_id(TEMPLATE_CLIENT, kind, str(week)),
        )
    shift = timedelta(days=7 * (week - from_week))
    text = _INSTANT.sub(
        lambda m: f'"occurred_at": "{(datetime.fromisoformat(m.group(1)) + shift).isoformat()}"',
        text,
    )
    return type_, version, json.loads(text)


def _texts(template: Template) -> list[tuple[str, int, str, datetime]]:
    return [(t, v, json.dumps(d), datetime.fromisoformat(d["occurred_at"])) for t, v, d in template]


def _enrolment(text: str, client: str, organisation_id: str, coach: str) -> str:
    return (
        text.replace(TEMPLATE_CLIENT, client)
        .replace('"org-bench"', json.dumps(organisation_id))
        .replace('"coach-1"', json.dumps(coach))
    )


def chained_rows(
    codec: EventCodec,
    clients: list[tuple[str, str]],
    template: Template,
    organisation_id: str,
    new_block: Callable[[list[str]], None] | None = None,
) -> Iterator[tuple]:
    """COPY rows (see COLUMNS) of these (client, coach) pairs, each a copy of `template`, chained.

    Clients take turns a block at a time (`new_block(client ids)` is called
    before each); each client's recorded times are the template's shifted by
    a few seconds of its own.
    """
    texts = _texts(template)
    metadata = {"organisation_id": organisation_id, "actor": "bench"}
    meta_text = json.dumps(metadata)
    for first in range(0, len(clients), BLOCK):
        block = clients[first : first + BLOCK]
        if new_block is not None:
            new_block([client for client, _ in block])
        previous: list[bytes | None] = [None] * len(block)
        offsets = [timedelta(seconds=zlib.crc32(client.encode()) % 3600) for client, _ in block]
        for index, (type_, schema, text, at) in enumerate(texts):
            for slot, (client, coach) in enumerate(block):
                if type_ == "ClientEnrolled":
                    data = json.loads(_enrolment(text, client, organisation_id, coach))
                else:
                    data = json.loads(text)
                stream = f"client-{client}"
                event = NewEvent(type_, data, schema, metadata)
                recorded_at = at + offsets[slot]
                row = codec.encode(stream, index + 1, event, previous[slot], recorded_at)
                previous[slot] = row["hash"]
                yield (
                    stream,
                    index + 1,
                    event.event_id,
                    type_,
                    schema,
                    json.dumps(row["data"]),
                    meta_text,
                    recorded_at,
                    row["prev_hash"],
                    row["hash"],
                )


def copy_clients(
    engine: sa.Engine,
    organisation_id: str,
    first: int,
    last: int,
    events_per_client: int = 100,
    big_client_events: int = 0,
) -> Loaded:
    """COPY clients `first`..`last - 1` (and the big client when `big_client_events`) in one transaction.

    The chain trigger checks every row as it goes in: a row the store would
    refuse stops the load. Several of these may run at once on separate
    ranges of clients (each stream's chain is its own).
    """
    keys = ClientKeys(engine, base64.b64decode(BENCH_MASTER_KEY))
    codec = EventCodec(sealer=ClientDataSealer(keys))
    clients = [(client_id(n), coach_of(n)) for n in range(first, last)]
    parts = [(clients, template_history(events_per_client))]
    if big_client_events:
        parts.append(([(big_client_id(), coach_of(0))], long_history(big_client_events)))
    loaded = 0
    raw = engine.raw_connection()
    try:
        conn: psycopg.Connection = raw.driver_connection
        conn.execute("SET LOCAL statement_timeout = 0")  # one COPY of millions of rows
        tx_id = conn.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0]
        with conn.cursor().copy(f"COPY events ({COLUMNS}) FROM STDIN") as copy:
            for part, template in parts:
                for row in chained_rows(codec, part, template, organisation_id, keys.create_for):
                    copy.write_row(row)
                    loaded += 1
        conn.commit()
    finally:
        raw.close()
    return Loaded(loaded, tx_id)


def settle(engine: sa.Engine) -> None:
    """Vacuum and analyze what a load wrote, so the planner and the visibility map know it."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("SET statement_timeout = 0")
        conn.exec_driver_sql("VACUUM ANALYZE events")
        conn.exec_driver_sql("ANALYZE client_keys")
        conn.exec_driver_sql("RESET statement_timeout")
