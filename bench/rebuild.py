"""Projection rebuild rate against a plain psycopg scan that decodes every event.

Loads CLIENTS x EVENTS_PER_CLIENT events (default 10,000 x 100 = 1,000,000)
of a realistic coaching history, then measures, each in its own process:
the baseline (a server-side psycopg cursor reading every event with its JSON
decoded) and the client-view rebuild through the project's store, which also
opens every event's sealed personal fields (AES-GCM, one key query per batch),
in one process (`rebuild=`) and in one worker process per core (`parallel=`);
then every rebuildable projection (client views, insights, template
applications) from one pass in the workers (`all=`), as the CLI rebuilds.
`rebuild=` and `parallel=` are the client views alone, as in earlier runs. Peak memory
(max RSS) of the rebuild is reported at a tenth of the events and at all of
them: it must not grow with the number of events.
Run: `python -m bench.rebuild` (reads DATABASE_URL).
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from resource import RUSAGE_CHILDREN, RUSAGE_SELF

import psycopg

from bench.history import bench_sealer, cloned_rows
from bench.scratch import libpq_url, scratch_database
from eventstore import EventStore
from eventstore.engine import make_engine
from projections.client_projection import ClientViewProjection
from projections.insights import InsightsProjection
from projections.rebuild import default_workers, rebuild, rebuild_all
from projections.template_applications import TemplateApplications
from services.plans.event_mapping import domain_codec

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10000"))
EVENTS_PER_CLIENT = int(os.environ.get("BENCH_EVENTS_PER_CLIENT", "100"))
WORKERS = int(os.environ.get("BENCH_REBUILD_WORKERS", str(default_workers())))


def load(
    url: str,
    clients: int,
    events_per_client: int = EVENTS_PER_CLIENT,
    organisation_id: str = "org-bench",
) -> int:
    """COPY the events in, personal fields sealed under each client's own data key as the service stores them.

    The contiguity and chain trigger is paused while the generated rows go in
    (they carry no hash chain: reading them costs the same).
    """
    columns = "stream_id, stream_version, event_id, type, schema_version, data, metadata"
    engine = make_engine(url)
    sealer = bench_sealer(engine)
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_contiguous")
        with conn.cursor().copy(f"COPY events ({columns}) FROM STDIN") as copy:
            for row in cloned_rows(clients, events_per_client, organisation_id, seal=sealer.seal):
                copy.write_row(row)
        conn.execute("ALTER TABLE events ENABLE TRIGGER events_contiguous")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE events")
        count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    engine.dispose()
    return count


def baseline(url: str) -> int:
    """Read and decode every event with a server-side cursor; the events seen."""
    seen = 0
    with psycopg.connect(libpq_url(url)) as conn, conn.cursor(name="scan") as cursor:
        cursor.itersize = 5000
        cursor.execute("SELECT * FROM events ORDER BY position")
        for _row in cursor:
            seen += 1
    return seen


def bench_store(url: str) -> EventStore:
    """The store as the service builds it (sealed personal fields opened), on its own engine."""
    engine = make_engine(url)
    return EventStore(engine, domain_codec(bench_sealer(engine)))


def project(url: str) -> int:
    store = bench_store(url)
    return rebuild(store.engine, store, ClientViewProjection())


def project_parallel(url: str) -> int:
    """The rebuild in one worker process per core, each opening its own store."""
    store = bench_store(url)
    return rebuild(
        store.engine,
        store,
        ClientViewProjection(),
        workers=WORKERS,
        open_store=functools.partial(bench_store, url),
    )


def project_all_parallel(url: str) -> int:
    """Every rebuildable projection (client views, insights, template applications) from one
    pass, in one worker process per core: what `careerplan projections rebuild` does."""
    store = bench_store(url)
    return rebuild_all(
        store.engine,
        store,
        [ClientViewProjection(), InsightsProjection(), TemplateApplications()],
        workers=WORKERS,
        open_store=functools.partial(bench_store, url),
    )


def _measured(args) -> tuple[int, float, float]:
    function, url = args
    started = time.perf_counter()
    events = function(url)
    seconds = time.perf_counter() - started
    # The largest of this process and its worker processes (RUSAGE_CHILDREN: the largest child).
    peak = max(resource.getrusage(who).ru_maxrss for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    return events, seconds, peak / 1024


def measure(function, url: str) -> tuple[float, float]:
    """(events/s, peak MB) of `function` run in a fresh process."""
    # Not a multiprocessing.Pool: its processes are daemons, which may not start the rebuild's workers.
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        events, seconds, peak_mb = pool.submit(_measured, (function, url)).result()
    return events / seconds, peak_mb


def main() -> None:
    peaks, parallel_peaks = {}, {}
    for clients in (CLIENTS // 10, CLIENTS):
        with scratch_database("bench_rebuild") as url:
            count = load(url, clients)
            base_rate, base_mb = measure(baseline, url)
            rate, peak_mb = measure(project, url)
            parallel_rate, parallel_mb = measure(project_parallel, url)
            all_rate, all_mb = measure(project_all_parallel, url)
            peaks[count], parallel_peaks[count] = peak_mb, parallel_mb
            print(
                f"{count:>9} events  baseline {base_rate:,.0f} events/s ({base_mb:.0f} MB)  "
                f"rebuild {rate:,.0f} events/s ({peak_mb:.0f} MB)  "
                f"{WORKERS} workers {parallel_rate:,.0f} events/s ({parallel_mb:.0f} MB)  "
                f"every projection, {WORKERS} workers {all_rate:,.0f} events/s ({all_mb:.0f} MB)"
            )
    print("peak MB by events: " + ", ".join(f"{n}: {mb:.0f}" for n, mb in peaks.items()))
    print(
        f"peak MB by events, {WORKERS} workers (largest process): "
        + ", ".join(f"{n}: {mb:.0f}" for n, mb in parallel_peaks.items())
    )
    print(
        f"ratio rebuild={rate / base_rate:.2f} peak_mb={peak_mb:.0f} "
        f"parallel={parallel_rate / base_rate:.2f} parallel_peak_mb={parallel_mb:.0f} "
        f"all={all_rate / base_rate:.2f}"
    )


if __name__ == "__main__":
    main()
