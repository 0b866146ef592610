"""Event store throughput against plain psycopg on a bare table, in one run.

A command = read one stream of ~20 events, then append one event in its own
transaction. Measured with one writer and with 8 concurrent writer processes,
each on its own streams, alternating project and baseline rounds so that both
see the same machine. Run: `python -m bench.store` (reads DATABASE_URL).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import time
import uuid

import psycopg

from bench.scratch import libpq_url, scratch_database
from eventstore import EventStore, NewEvent
from eventstore.engine import make_engine

STREAMS_PER_WRITER = 300
PRELOADED = 19
ROUND_SECONDS = float(os.environ.get("BENCH_ROUND_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WRITERS = 8
DATA = {"statement": "Lead one feature end-to-end", "confidence": 7, "metric": {"target": 1}}

BARE_TABLE = """
CREATE TABLE bare_events (
    position bigserial PRIMARY KEY,
    stream_id text NOT NULL,
    stream_version integer NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version)
)"""


def stream_ids(writer: int) -> list[str]:
    return [f"w{writer}-s{n}" for n in range(STREAMS_PER_WRITER)]


def preload(url: str) -> None:
    """Give every stream of both sides ~20 events, with the same content."""
    rows = [
        (sid, v, str(uuid.uuid4()), "GoalSet", json.dumps(DATA), "{}")
        for w in range(WRITERS)
        for sid in stream_ids(w)
        for v in range(1, PRELOADED + 1)
    ]
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute(BARE_TABLE)
        # The preload carries no hash chain (appends after it chain to nothing): pause the chain check.
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_contiguous")
        for table, extra in (("events", ", schema_version"), ("bare_events", "")):
            cols = f"stream_id, stream_version, event_id, type, data, metadata{extra}"
            with conn.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + ((1,) if extra else ()))
        conn.execute("ALTER TABLE events ENABLE TRIGGER events_contiguous")
        conn.execute("ANALYZE")


def project_loop(url: str, streams: list[str], deadline: float) -> int:
    store = EventStore(make_engine(url, pool_size=1))
    done = 0
    while time.monotonic() < deadline:
        sid = streams[done % len(streams)]
        events = store.read_stream(sid)
        store.append(
            sid,
            [NewEvent("CheckInRecorded", DATA)],
            expected_version=len(events),
            previous_hash=events[-1].hash if events else None,
        )  # as CareerPlans does
        done += 1
    store.engine.dispose()
    return done


def _bare_read(conn: psycopg.Connection, sid: str) -> list:
    return conn.execute(
        "SELECT position, stream_version, event_id, type, data, metadata, recorded_at "
        "FROM bare_events WHERE stream_id = %s ORDER BY stream_version",
        (sid,),
    ).fetchall()


def _bare_insert(conn: psycopg.Connection, sid: str, version: int) -> None:
    conn.execute(
        "INSERT INTO bare_events (stream_id, stream_version, event_id, type, data, metadata) "
        "VALUES (%s, %s, %s, %s, %s, %s) RETURNING position, recorded_at",
        (sid, version, uuid.uuid4(), "CheckInRecorded", json.dumps(DATA), "{}"),
    ).fetchone()


def baseline_loop(url: str, streams: list[str], deadline: float) -> int:
    """Plain psycopg as one would write it: read, then BEGIN; INSERT; COMMIT."""
    done = 0
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            sid = streams[done % len(streams)]
            rows = _bare_read(conn, sid)
            with conn.transaction():
                _bare_insert(conn, sid, len(rows) + 1)
            done += 1
    return done


def lean_baseline_loop(url: str, streams: list[str], deadline: float) -> int:
    """Plain psycopg with the store's own trick: the INSERT alone is its transaction."""
    done = 0
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            sid = streams[done % len(streams)]
            _bare_insert(conn, sid, len(_bare_read(conn, sid)) + 1)
            done += 1
    return done


def _worker(args) -> int:
    loop, url, writer, start, seconds = args
    time.sleep(max(0.0, start - time.time()))
    return loop(url, stream_ids(writer), time.monotonic() + seconds)


def measure(pool, loop, url: str, writers: int) -> float:
    """Commands per second of `loop` with `writers` processes started together."""
    start = time.time() + 0.5
    counts = pool.map(_worker, [(loop, url, w, start, ROUND_SECONDS) for w in range(writers)])
    return sum(counts) / ROUND_SECONDS


LOOPS = (("baseline", baseline_loop), ("lean", lean_baseline_loop), ("project", project_loop))


def main() -> None:
    with scratch_database("bench_store") as url:
        preload(url)
        rates: dict[tuple[str, int], list[float]] = {}
        with mp.get_context("spawn").Pool(WRITERS) as pool:
            for _ in range(ROUNDS):
                for writers in (1, WRITERS):
                    for name, loop in LOOPS:
                        rate = measure(pool, loop, url, writers)
                        rates.setdefault((name, writers), []).append(rate)
    best = {key: max(values) for key, values in rates.items()}
    for (name, writers), values in sorted(rates.items()):
        shown = ", ".join(f"{v:.0f}" for v in values)
        print(
            f"{name:8} writers={writers}: best {best[name, writers]:.0f} commands/s (rounds: {shown})"
        )
    lean = [best["project", n] / best["lean", n] for n in (1, WRITERS)]
    print(f"(against the lean baseline: single={lean[0]:.2f} concurrent={lean[1]:.2f})")
    single = best["project", 1] / best["baseline", 1]
    concurrent = best["project", WRITERS] / best["baseline", WRITERS]
    print(f"ratio single={single:.2f} concurrent={concurrent:.2f}")


if __name__ == "__main__":
    main()
