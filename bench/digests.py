"""Digest batch throughput: 10,000 clients, 2 worker processes, real PostgreSQL and Redis.

Loads CLIENTS coaching histories, builds the views, starts one quarterly run
and times it until every client and coach digest is stored. Reports
digests/s and the peak memory (max RSS) of the busiest worker process.
Run: `python -m bench.digests` (reads DATABASE_URL and REDIS_URL).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone

import redis
import sqlalchemy as sa

from bench.history import BENCH_MASTER_KEY, bench_sealer
from bench.rebuild import load
from bench.scratch import scratch_database
from eventstore import EventStore
from eventstore.engine import make_engine
from projections.client_projection import ClientViewProjection
from projections.rebuild import rebuild
from services.digests import runs as digest_runs
from services.digests.tables import digest_run_items
from services.plans.event_mapping import domain_codec

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10000"))
WORKERS = 2
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    namespace = f"bench-digests-{uuid.uuid4().hex[:8]}"
    with scratch_database("bench_digests") as url:
        load(url, CLIENTS)
        engine = make_engine(url)
        rebuild(
            engine, EventStore(engine, domain_codec(bench_sealer(engine))), ClientViewProjection()
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "REDIS_NAMESPACE": namespace,
            "API_KEY_SECRET": "b" * 32,
            "MASTER_KEY": BENCH_MASTER_KEY,
            "MIGRATE_ON_START": "false",
            "WORKER_THREADS": "4",
        }
        workers = [
            subprocess.Popen([sys.executable, "-m", "careerplan.cli", "worker"], env=env)
            for _ in range(WORKERS)
        ]
        try:
            time.sleep(2)  # let the workers boot before the clock starts
            started = time.perf_counter()
            run_id = digest_runs.start_run(
                engine, "org-bench", "quarterly", datetime(2026, 11, 27, tzinfo=timezone.utc)
            )
            done = (
                sa.select(sa.func.count())
                .select_from(digest_run_items)
                .where(digest_run_items.c.run_id == run_id, digest_run_items.c.status == "done")
            )
            with engine.connect() as conn:
                total = digest_runs.run_status(conn, run_id).total
                while conn.execute(done).scalar_one() < total:
                    time.sleep(0.5)
            seconds = time.perf_counter() - started
            peak = max(peak_rss_mb(w.pid) for w in workers)
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=30)
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=f"{namespace}*"):
                client.delete(key)
        engine.dispose()
    print(f"{total} digests in {seconds:.1f} s with {WORKERS} worker processes")
    print(f"digests_per_s={total / seconds:.1f} peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
