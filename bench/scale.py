"""How the service's costs grow with an organisation: 10,000, 30,000 and 100,000 clients of ~100 events.

One organisation in one scratch database is grown from size to size
(`bench.population`: COPY with valid hash chains, plus one client of
BIG_CLIENT_EVENTS events, one loading process per core on its own range of
clients), and at each size this measures, each with its time (or p99) and
the peak memory (max RSS) of the process that did it:

- rebuild: every rebuildable projection (client views, insights, template applications)
  rebuilt from one pass over the events, one worker process per core (as the CLI does),
  into emptied views (emptied untimed first: otherwise the rebuild at 10,000 clients
  would start from no views and later ones from the previous size's, and deleting
  those is work the smallest size never does);
  the catch-up after it (the notice projections, which are never rebuilt) is timed too;
- digests: one quarterly digest run, 2 worker processes, until every digest is stored;
- sweep: one daily re-alignment sweep of the organisation, until every check is recorded;
- caseload: a coach's caseload (500 clients ranked, first page), p99 of CASELOAD_READS;
- history: a page of the big client's history (oldest or newest first, anywhere), p99;
- export: the organisation's whole export, every line read and encoded (its own process);
- api: bench.api's mix (80% roadmaps, 20% check-ins) on 1,000 of the clients, p99 over
  BENCH_SECONDS after API_WARM_UP_SECONDS of the same mix (not bench.api's longer warm-up),
  served as the image serves it; at the largest size also with 1 and 4 API processes
  (`api ×1`, `api ×4`), for how the rate grows with processes on this machine.

Where the server's autovacuum is off (the shared test server here has it off),
the bench runs `VACUUM (ANALYZE)` after each writing step (the catch-up, the
digest run, the sweep), as autovacuum would have by then on a production
server; its time is shown as `vacuum` and is in no operation's figure.

Growth = (time at the largest size / time at the smallest) / (largest / smallest),
so 1.0 is linear. Last line:
`growth rebuild=<x> digests=<y> sweep=<z> caseload_p99_ms=<a> history_p99_ms=<b> peak_mb=<c>`.
Run: `python -m bench.scale [--sizes 1000,3000] [--quick]` (reads DATABASE_URL and REDIS_URL,
needs Debian's `wrk`). The full sizes load 10 million events: take those figures on a quiet machine.
"""

from __future__ import annotations

import argparse
import functools
import math
import multiprocessing as mp
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import redis
import sqlalchemy as sa

from api.resources.events import export_lines
from bench.api import LUA, MASTER_KEY, SECRET, load_test, serve
from bench.digests import peak_rss_mb
from bench.history import TEMPLATE_CLIENT
from bench.population import Loaded, big_client_id, client_id, copy_clients, settle
from bench.scratch import scratch_database
from careerplan import collector
from careerplan.bootstrap import Services, bootstrap, open_event_store
from careerplan.seed_example import GOAL_KEYS, seed_id
from careerplan.settings import Settings
from domain.dates import add_months
from eventstore.engine import make_engine
from eventstore.schema import events
from projections import queries
from projections.rebuild import default_workers, rebuild_all
from services.alignment import sweeps
from services.digests import runs as digest_runs
from services.digests import tables as digest_tables
from services.jobs.tables import outbox

SIZES = (10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 3_000)
EVENTS_PER_CLIENT = 100
BIG_CLIENT_EVENTS = 10_000
CASELOAD_READS = 200
HISTORY_READS = 200
API_CLIENTS = 1000
API_SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
API_WARM_UP_SECONDS = 10
API_PROCESSES = (1, 4)  # beside the image's own 2, at the largest size
WORKERS = 2
LOADERS = os.cpu_count() or 2
WAIT_LIMIT_S = 3 * 3600
STALL_S = 300
PROGRESS_EVERY_S = 5.0
TODAY = date(2026, 11, 27)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TARGET_GROWTH, TARGET_P99_MS, TARGET_PEAK_MB = 1.2, 50.0, 600.0
RUN_STARTED = time.perf_counter()


def own_peak_mb() -> float:
    """Max RSS of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p99(samples: list[float]) -> float:
    """The 99th percentile (nearest rank) of `samples`."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def settings_for(url: str) -> Settings:
    """The settings every process of the bench runs with (bench.api's secret and master key)."""
    return Settings(
        database_url=url, migrate_on_start=False, api_key_secret=SECRET, master_key=MASTER_KEY
    )


def _rebuild(url: str, organisation_id: str) -> int:
    """Every rebuildable projection from one pass over the events, as `careerplan projections rebuild`."""
    settings = settings_for(url)
    services = bootstrap(settings)
    return rebuild_all(
        services.engine,
        services.store,
        [p for p in services.projections.projections if p.rebuildable],
        workers=default_workers(),
        open_store=functools.partial(open_event_store, settings),
    )


def _export(url: str, organisation_id: str) -> int:
    """Read the organisation's whole export as the API sends it: a JSON line per event, and the end."""
    services = bootstrap(settings_for(url))
    lines = 0
    for _ in export_lines(services.views.export_organisation(organisation_id, None)):
        lines += 1
    return lines


def _copy_share(share: tuple[str, str, int, int, int]) -> Loaded:
    url, organisation_id, first, last, big_client_events = share
    engine = make_engine(url)
    try:
        return copy_clients(
            engine, organisation_id, first, last, EVENTS_PER_CLIENT, big_client_events
        )
    finally:
        engine.dispose()


def load(
    engine: sa.Engine, url: str, organisation_id: str, first: int, last: int, big: int
) -> Loaded:
    """Clients `first`..`last - 1` (and the big client of `big` events, if any) COPYed by
    LOADERS processes at once, each its own range in its own transaction, then settled."""
    cuts = [first + (last - first) * n // LOADERS for n in range(LOADERS + 1)]
    shares = [
        (url, organisation_id, start, end, big if n == 0 else 0)
        for n, (start, end) in enumerate(zip(cuts, cuts[1:]))
    ]
    with ProcessPoolExecutor(LOADERS, mp_context=mp.get_context("spawn")) as pool:
        copied = list(pool.map(_copy_share, shares))
    settle(engine)
    return Loaded(sum(c.events for c in copied), max(c.tx_id for c in copied))


def empty_rebuilt_views(services: Services) -> None:
    """Delete every row of the rebuildable projections' views, and vacuum them (untimed)."""
    with services.engine.begin() as conn:
        for projection in services.projections.projections:
            if projection.rebuildable:
                projection.clear(conn)
    stand_in_for_autovacuum(services.engine)


def stand_in_for_autovacuum(engine: sa.Engine) -> float:
    """`VACUUM (ANALYZE)` the database when the server's autovacuum is off; the seconds it took."""
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.exec_driver_sql("SHOW autovacuum").scalar() == "off":
            conn.exec_driver_sql("SET statement_timeout = 0")
            conn.exec_driver_sql("VACUUM (ANALYZE)")
            conn.exec_driver_sql("RESET statement_timeout")
    return time.perf_counter() - started


def _timed(args) -> tuple[float, int, float]:
    function, url, organisation_id = args
    started = time.perf_counter()
    result = function(url, organisation_id)
    # The largest of this process and its own worker processes (a rebuild's), if any.
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return time.perf_counter() - started, result, max(own_peak_mb(), children)


def in_own_process(function, url: str, organisation_id: str) -> tuple[float, int, float]:
    """(seconds, result, peak MB) of `function(url, organisation_id)` in a fresh process."""
    # Not a multiprocessing.Pool: its processes are daemons, which may not start a rebuild's workers.
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(_timed, (function, url, organisation_id)).result()


def _wait(finished, what: str, progress=None) -> None:
    """Poll `finished()` (True when done) until it is; with `progress` (a (done, total) pair,
    raising on failures) looked at every PROGRESS_EVERY_S and once more at the end.

    `finished` is a lookup of one row; counting what is done is kept out of the
    tight loop, as it costs PostgreSQL more the more there is to count (a
    100,000-item digest run's statuses: 20 ms after a vacuum, more with the
    run's dead tuples).
    Gives up after WAIT_LIMIT_S, or after STALL_S without progress (a worker
    that lost its database, say): a bench that waits forever measures nothing.
    """
    started = time.monotonic()
    deadline, last, moved, looked = started + WAIT_LIMIT_S, None, started, started
    while not finished():
        now = time.monotonic()
        if progress is not None and now - looked >= PROGRESS_EVERY_S:
            state, looked = progress(), now
            if state != last:
                last, moved = state, now
        if now > deadline or now - moved > STALL_S:
            raise RuntimeError(f"{what} did not finish (at {last}) after {now - moved:.0f} s still")
        time.sleep(0.25)
    if progress is not None and (state := progress())[0] < state[1]:
        raise RuntimeError(f"{what} finished at {state}, not every item done")


def digest_run(services: Services, organisation_id: str, index: int) -> tuple[float, int]:
    """(seconds, digests) of one quarterly run: a later quarter at each size, so each is a new run."""
    engine = services.engine
    now = datetime.combine(add_months(TODAY, 3 * index), datetime.min.time(), timezone.utc)
    started = time.perf_counter()
    run_id = digest_runs.start_run(engine, organisation_id, "quarterly", now)
    with engine.connect() as conn:
        total = digest_runs.run_status(conn, run_id).total
    ended = sa.select(digest_tables.digest_runs.c.finished_at).where(
        digest_tables.digest_runs.c.run_id == run_id
    )

    def finished() -> bool:
        with engine.connect() as conn:
            return conn.execute(ended).scalar_one() is not None

    def progress() -> tuple[int, int]:
        with engine.connect() as conn:
            status = digest_runs.run_status(conn, run_id)
        if status.failed:
            raise RuntimeError(f"{status.failed} digests of the run failed")
        return status.done, total

    _wait(finished, "the digest run", progress)
    return time.perf_counter() - started, total


def alignment_sweep(services: Services, organisation_id: str, index: int) -> tuple[float, int]:
    """(seconds, checks) of the organisation's sweep of a new day, until every check is recorded."""
    engine, head = services.engine, services.store.head()
    day = TODAY + timedelta(days=index)
    started = time.perf_counter()
    status, _ = sweeps.start_sweep(engine, organisation_id, day, "bench")
    recorded = (
        sa.select(sa.func.count())
        .select_from(events)
        .where(
            sa.tuple_(events.c.tx_id, events.c.position) > sa.tuple_(head.tx_id, head.position),
            events.c.type == "AlignmentChecked",
        )
    )

    unfinished = (
        sa.select(outbox.c.id)
        .where(
            outbox.c.actor_name.in_(sweeps.CHECKS),
            outbox.c.slot == sweeps.sweep_slot(organisation_id, day),
            outbox.c.done_at.is_(None),
        )
        .limit(1)
    )

    def finished() -> bool:
        with engine.connect() as conn:
            return conn.execute(unfinished).first() is None

    def progress() -> tuple[int, int]:
        now = sweeps.sweep_status(engine, organisation_id, day)  # by the outbox's slot index
        if now is not None and now.failed:
            raise RuntimeError(f"{now.failed} alignment checks failed")
        with engine.connect() as conn:
            return conn.execute(recorded).scalar_one(), status.queued

    _wait(finished, "the alignment sweep", progress)
    return time.perf_counter() - started, status.queued


def caseload_reads(services: Services, organisation_id: str, clients: int) -> list[float]:
    """Milliseconds of CASELOAD_READS caseload reads, each of a random coach's 500 clients."""
    coaches = max(1, clients // 500)
    chosen = random.Random(7)
    samples = []
    for _ in range(CASELOAD_READS):
        coach = f"coach-{chosen.randrange(coaches) + 1}"
        started = time.perf_counter()
        entries, _ = services.views.caseload(organisation_id, TODAY, coach, 21)
        samples.append((time.perf_counter() - started) * 1000)
        if not entries:
            raise RuntimeError(f"{coach} has no clients in the caseload")
    return samples


def history_reads(services: Services, organisation_id: str) -> list[float]:
    """Milliseconds of HISTORY_READS pages of the big client's history, at random places."""
    client = big_client_id()
    with services.store.reader.connect() as conn:
        view = queries.client_view(conn, organisation_id, client)
    chosen = random.Random(11)
    samples = []
    for n in range(HISTORY_READS):
        newest_first = n % 2 == 1
        after = chosen.randrange(BIG_CLIENT_EVENTS - 60) if n % 4 >= 2 else 0
        started = time.perf_counter()
        page = services.views.history(
            view, client, after_version=after, limit=50, newest_first=newest_first
        )
        samples.append((time.perf_counter() - started) * 1000)
        if len(page.entries) != 50:
            raise RuntimeError(f"a history page held {len(page.entries)} entries, not 50")
    return samples


def _family_peak_mb(pid: int) -> float:
    """The largest max RSS among a process and its children (gunicorn's master and workers)."""
    peaks = [peak_rss_mb(pid)]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return max(peaks + [peak_rss_mb(int(child)) for child in children])


def api_mix(
    url: str, key: str, clients: int, processes: int | None = None
) -> tuple[float, float, float]:
    """(p99 ms, requests/s, peak MB of any server process) of bench.api's mix on 1,000 of the clients,
    served as the image serves it (`processes` API worker processes instead of its count if given)."""
    step = max(1, clients // API_CLIENTS)
    chosen = [client_id(n) for n in range(0, clients, step)][:API_CLIENTS]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "API_KEY_SECRET": SECRET,
        "MASTER_KEY": MASTER_KEY,
        "MIGRATE_ON_START": "false",
        "RATE_LIMIT": "1000000/minute",
    }
    goal = seed_id(TEMPLATE_CLIENT, "goal", GOAL_KEYS[0])
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "mix.lua"
        script.write_text(
            LUA % {"clients": ", ".join(f'"{c}"' for c in chosen), "key": key, "goal": goal}
        )
        metrics = {"PROMETHEUS_MULTIPROC_DIR": f"{tmp}/metrics"}
        process, port = serve("careerplan.wsgi:app", {**env, **metrics}, processes)
        try:
            load_test(port, script, API_WARM_UP_SECONDS)
            result = load_test(port, script, API_SECONDS)
            peak = _family_peak_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    if result["non_2xx"]:
        raise RuntimeError(f"{result['non_2xx']} API answers were not 2xx")
    return result["p99"], result["rps"], peak


def start_workers(url: str, namespace: str) -> list[subprocess.Popen]:
    """WORKERS worker processes (4 threads each, relaying the outbox) on their own Redis namespace."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "REDIS_NAMESPACE": namespace,
        "API_KEY_SECRET": SECRET,
        "MASTER_KEY": MASTER_KEY,
        "MIGRATE_ON_START": "false",
        "WORKER_THREADS": "4",
    }
    workers = [
        subprocess.Popen([sys.executable, "-m", "careerplan.cli", "worker"], env=env)
        for _ in range(WORKERS)
    ]
    time.sleep(2)  # let the workers boot before a clock starts
    return workers


def stop_workers(workers: list[subprocess.Popen], namespace: str) -> None:
    """Stop the workers as a deployment does (SIGTERM) and drop their Redis keys."""
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{namespace}*"):
        client.delete(key)


class Figures(dict):
    """One size's figures, {name: (figure, unit, peak MB)}, each shown on stderr as it is
    taken: a full run lasts most of an hour, and a stalled step should be seen as one."""

    def __init__(self, clients: int) -> None:
        super().__init__()
        self.clients = clients

    def __setitem__(self, name: str, value: tuple[float, str, float]) -> None:
        super().__setitem__(name, value)
        elapsed = int(time.perf_counter() - RUN_STARTED)
        figure, unit, peak = value
        print(
            f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {self.clients:,} clients: "
            f"{name} {figure:.2f} {unit}, peak {peak:.0f} MB",
            file=sys.stderr,
            flush=True,
        )


def measure_size(
    services: Services,
    url: str,
    organisation_id: str,
    key: str,
    clients: int,
    index: int,
    largest: bool,
) -> dict:
    """Every operation at this size: {name: (figure, unit, peak MB)}; at the largest size the
    API mix also with each of API_PROCESSES worker processes."""
    figures = Figures(clients)
    empty_rebuilt_views(services)
    seconds, folded, peak = in_own_process(_rebuild, url, organisation_id)
    figures["rebuild"] = (seconds, f"s ({folded:,} events)", peak)
    started = time.perf_counter()
    caught_up = services.projections.catch_up()
    figures["catch-up"] = (
        time.perf_counter() - started,
        f"s ({caught_up:,} events)",
        own_peak_mb(),
    )
    vacuum_s = stand_in_for_autovacuum(services.engine)
    namespace = f"bench-scale-{uuid.uuid4().hex[:8]}"
    workers = start_workers(url, namespace)
    try:
        seconds, digests = digest_run(services, organisation_id, index)
        figures["digests"] = (seconds, f"s ({digests:,} digests)", max(map(_pid_peak, workers)))
        vacuum_s += stand_in_for_autovacuum(services.engine)
        seconds, checks = alignment_sweep(services, organisation_id, index)
        figures["sweep"] = (seconds, f"s ({checks:,} checks)", max(map(_pid_peak, workers)))
    finally:
        stop_workers(workers, namespace)
    services.projections.catch_up()
    vacuum_s += stand_in_for_autovacuum(services.engine)
    figures["vacuum"] = (vacuum_s, "s (3 times, in no figure)", own_peak_mb())
    # The reads below stand for an API worker's: collect garbage as careerplan.wsgi has it
    # collected (CPython's own settings put 40-60 ms full collections into the p99).
    collector.settle_for_serving()
    figures["caseload"] = (
        p99(caseload_reads(services, organisation_id, clients)),
        "ms p99 (500 clients)",
        own_peak_mb(),
    )
    figures["history"] = (
        p99(history_reads(services, organisation_id)),
        f"ms p99 ({BIG_CLIENT_EVENTS:,} events)",
        own_peak_mb(),
    )
    seconds, lines, peak = in_own_process(_export, url, organisation_id)
    figures["export"] = (seconds, f"s ({lines:,} lines)", peak)
    latency, rate, peak = api_mix(url, key, clients)
    figures["api"] = (latency, f"ms p99 ({rate:,.0f} req/s)", peak)
    if largest:  # how the rate grows with API processes on this machine (deploy/README.md)
        for processes in API_PROCESSES:
            latency, rate, peak = api_mix(url, key, clients, processes)
            figures[f"api ×{processes}"] = (latency, f"ms p99 ({rate:,.0f} req/s)", peak)
    return figures


def _pid_peak(process: subprocess.Popen) -> float:
    return peak_rss_mb(process.pid)


def growth(first: dict, last: dict, name: str, ratio: float) -> float:
    """(figure at the largest size / figure at the smallest) / (size ratio): 1.0 is linear."""
    return (last[name][0] / first[name][0]) / ratio


def main(argv: list[str] | None = None) -> None:
    """Grow the organisation size by size, measure each, then print the growth line."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument(
        "--sizes", help="client counts, comma-separated (default 10000,30000,100000)"
    )
    parser.add_argument("--quick", action="store_true", help="sizes 1000,3000 (development)")
    args = parser.parse_args(argv)
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    else:
        sizes = QUICK_SIZES if args.quick else SIZES
    if len(sizes) < 2 or list(sizes) != sorted(set(sizes)):
        parser.error("--sizes needs two or more increasing client counts")
    # Stopped with SIGTERM, still drop the scratch database and stop the workers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: dict[int, dict] = {}
    with scratch_database("bench_scale") as url:
        engine = make_engine(url)
        services = bootstrap(settings_for(url), engine=engine)
        organisation, key = services.tenancy.organisations.create("Bench scale")
        organisation_id, loaded = organisation.organisation_id, 0
        for index, clients in enumerate(sizes):
            started = time.perf_counter()
            big = BIG_CLIENT_EVENTS if index == 0 else 0
            events_loaded = load(engine, url, organisation_id, loaded, clients, big)
            _wait(lambda: services.store.head().tx_id >= events_loaded.tx_id, "the feed")
            load_s = time.perf_counter() - started
            loaded = clients
            Figures(clients)["load"] = (
                load_s,
                f"s ({events_loaded.events:,} events)",
                own_peak_mb(),
            )
            results[clients] = measure_size(
                services, url, organisation_id, key.key, clients, index, clients == sizes[-1]
            )
            print_size(clients, events_loaded.events, load_s, results[clients])
        engine.dispose()
    first, last = results[sizes[0]], results[sizes[-1]]
    ratio = sizes[-1] / sizes[0]
    grown = {name: growth(first, last, name, ratio) for name in ("rebuild", "digests", "sweep")}
    grown["export"] = growth(first, last, "export", ratio)
    peak = max(figure[2] for figures in results.values() for figure in figures.values())
    caseload_ms, history_ms = last["caseload"][0], last["history"][0]
    print(
        f"export growth {grown['export']:.2f}; whole run {time.perf_counter() - RUN_STARTED:.0f} s"
    )
    missed = [f"{name} growth {grown[name]:.2f}" for name in ("rebuild", "digests", "sweep")]
    missed = [
        m for m, n in zip(missed, ("rebuild", "digests", "sweep")) if grown[n] > TARGET_GROWTH
    ]
    missed += [f"caseload p99 {caseload_ms:.1f} ms"] if caseload_ms > TARGET_P99_MS else []
    missed += [f"history p99 {history_ms:.1f} ms"] if history_ms > TARGET_P99_MS else []
    missed += [f"peak {peak:.0f} MB"] if peak > TARGET_PEAK_MB else []
    print("targets met" if not missed else "targets missed: " + "; ".join(missed))
    print(
        f"growth rebuild={grown['rebuild']:.2f} digests={grown['digests']:.2f} "
        f"sweep={grown['sweep']:.2f} caseload_p99_ms={caseload_ms:.1f} "
        f"history_p99_ms={history_ms:.1f} peak_mb={peak:.0f}"
    )


def print_size(clients: int, events_loaded: int, load_s: float, figures: dict) -> None:
    """One size's table: each operation's figure and the peak memory of the process that did it."""
    print(f"\n{clients:,} clients ({events_loaded:,} events loaded in {load_s:.0f} s)")
    print(f"  {'operation':10} {'figure':>10}  {'':28} {'peak MB':>8}")
    for name, (figure, unit, peak) in figures.items():
        print(f"  {name:10} {figure:10.2f}  {unit:28} {peak:8.0f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
