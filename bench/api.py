"""HTTP load on loopback: the API under gunicorn against a bare Flask baseline doing the same SQL.

1,000 clients; 32 concurrent connections from wrk (Debian's package, a Lua
script); 80% reads (the roadmap) and 20% commands (a check-in). Both sides run
the API image's gunicorn command (deploy/Dockerfile's CMD with its settings
file, deploy/gunicorn.conf.py), so a serving setting reaches both; wrk's own
CPU use is reported so a saturated generator shows. The two sides take
turns, a few seconds each, for several rounds: a machine whose speed drifts
during the run (a busy neighbour) slows both alike, where one long run per
side would hand the drift to one of them. Run: `python -m bench.api`
(reads DATABASE_URL; BENCH_SECONDS is each side's total time under load;
BENCH_API_WORKERS and BENCH_API_THREADS override the image's counts on both sides).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.history import TEMPLATE_CLIENT, client_id
from bench.rebuild import load
from bench.scratch import scratch_database
from careerplan.bootstrap import bootstrap
from careerplan.seed_example import GOAL_KEYS, seed_id
from careerplan.settings import Settings
from eventstore.engine import make_engine
from projections.client_projection import ClientViewProjection
from projections.rebuild import rebuild

CLIENTS = 1000
CONNECTIONS = 32
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
ROUNDS = 4
# Before it is measured, each side is brought to the steady state a long-running server is
# in, not its first minute: every client is sent a check-in WARM_UP_PASSES times (each lands
# on either worker, so a worker misses a client with odds 1 in 2**passes: per-process plan
# and key memory), then the mix runs WARM_UP_SECONDS (views, pools, prepared statements).
WARM_UP_PASSES = 5
WARM_UP_SECONDS = 15
# Both servers run as deploy/Dockerfile runs the API; BENCH_API_WORKERS/THREADS try others.
DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
WORKERS = os.environ.get("BENCH_API_WORKERS")
THREADS = os.environ.get("BENCH_API_THREADS")  # per worker
SECRET = "bench-api-secret-" + "x" * 32
MASTER_KEY = "YmVuY2gtYXBpLW1hc3Rlci1rZXktMzItYnl0ZXMtLS0="  # base64 of 32 fixed bytes: a bench, not a secret
# The two requests of the mix as Python sends them (the warm-up, bench.api_cpu); LUA sends the same.
CHECK_IN_BODY = '{"confidence": 5, "value": 5}'


def roadmap_path(client: str) -> str:
    return f"/v1/clients/{client}/roadmap?today=2026-11-27"


def check_in_path(client: str, goal: str) -> str:
    return f"/v1/clients/{client}/goals/{goal}/check-ins"


def request_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


LUA = """
local clients = {%(clients)s}
local key, goal = "%(key)s", "%(goal)s"
math.randomseed(42)
request = function()
  local c = clients[math.random(#clients)]
  local headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
  if math.random() < 0.8 then
    return wrk.format("GET", "/v1/clients/" .. c .. "/roadmap?today=2026-11-27", headers)
  end
  local body = string.format('{"confidence": %%d, "value": %%d}', math.random(1, 10), math.random(0, 10))
  return wrk.format("POST", "/v1/clients/" .. c .. "/goals/" .. goal .. "/check-ins", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%.2f %%.2f %%d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def image_command(app: str, port: int, workers: int | None = None) -> list[str]:
    """The API image's gunicorn command (deploy/Dockerfile's CMD, its settings file included) serving `app` on `port`.

    Both sides run it, so a serving setting the image changes reaches the
    baseline too; BENCH_API_WORKERS and BENCH_API_THREADS, when set, go after
    the image's own options and override them; `workers`, when given, overrides both.
    """
    cmds = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("CMD ")]
    command = json.loads(cmds[0][4:])
    if command[0] != "gunicorn" or command[-1] != "careerplan.wsgi:app":
        raise RuntimeError(f"deploy/Dockerfile's CMD is not gunicorn on careerplan.wsgi: {command}")
    options = command[1:-1]
    replaced = {"--config": str(GUNICORN_CONF), "--bind": f"127.0.0.1:{port}"}
    for i, word in enumerate(options[:-1]):
        if word in replaced:
            options[i + 1] = replaced[word]
    overrides = [("--workers", str(workers) if workers else WORKERS), ("--threads", THREADS)]
    options += [word for name, value in overrides if value for word in (name, value)]
    return [sys.executable, "-m", "gunicorn", *options, "--log-level", "warning", app]


def serve(app: str, env: dict, workers: int | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        image_command(app, port, workers),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{app} did not start")


def warm_up(port: int, script: Path, key: str, goal: str) -> None:
    """Bring a server to its steady state: every client's check-in, WARM_UP_PASSES times; then the mix a while."""
    walk = queue.SimpleQueue()
    for _ in range(WARM_UP_PASSES):
        for n in range(CLIENTS):
            walk.put(client_id(n))
    headers = request_headers(key)

    def check_in_each() -> (
        None
    ):  # on one kept-alive connection, so on one worker, until the walk is done
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while True:
                try:
                    client = walk.get_nowait()
                except queue.Empty:
                    return
                connection.request(
                    "POST", check_in_path(client, goal), body=CHECK_IN_BODY, headers=headers
                )
                answer = connection.getresponse()
                answer.read()
                if answer.status != 201:
                    raise RuntimeError(
                        f"the warm-up check-in for {client} was answered {answer.status}"
                    )
        finally:
            connection.close()

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for done in [pool.submit(check_in_each) for _ in range(CONNECTIONS)]:
            done.result()
    load_test(port, script, WARM_UP_SECONDS)


def load_test(port: int, script: Path, seconds: int) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(
            f"wrk failed ({run.returncode}): {run.stderr.strip() or run.stdout.strip()}"
        )
    out = run.stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests, micros, p50, p99, bad = next(
        line for line in out.splitlines() if line.startswith("RESULT")
    ).split()[1:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "rps": int(requests) / (int(micros) / 1e6),
        "requests": int(requests),
        "seconds": int(micros) / 1e6,
        "p50": float(p50),
        "p99": float(p99),
        "non_2xx": int(bad),
        "wrk_cpu": cpu / seconds,
    }


def prepare(url: str, clients: int = CLIENTS) -> tuple[str, str, dict[str, str]]:
    """Load `clients` clients of 30 events into the scratch database at `url`, their views built.

    Returns an admin key, the goal the check-ins go to, and the environment both sides are served with.
    """
    engine = make_engine(url)
    services = bootstrap(
        Settings(
            database_url=url, migrate_on_start=False, api_key_secret=SECRET, master_key=MASTER_KEY
        ),
        engine=engine,
    )
    organisation, key = services.tenancy.organisations.create("Bench coaching")
    load(url, clients, events_per_client=30, organisation_id=organisation.organisation_id)
    rebuild(engine, services.store, ClientViewProjection())
    services.projections.catch_up()
    engine.dispose()
    # The baseline has no rate limit: ours stays on (its cost counts) but far above the load.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "API_KEY_SECRET": SECRET,
        "MASTER_KEY": MASTER_KEY,
        "MIGRATE_ON_START": "false",
        "RATE_LIMIT": "1000000/minute",
    }
    return key.key, seed_id(TEMPLATE_CLIENT, "goal", GOAL_KEYS[0]), env


def main() -> None:
    with scratch_database("bench_api") as url, tempfile.TemporaryDirectory() as tmp:
        key, goal, env = prepare(url)
        script = Path(tmp) / "mix.lua"
        script.write_text(
            LUA
            % {
                "clients": ", ".join(f'"{client_id(n)}"' for n in range(CLIENTS)),
                "key": key,
                "goal": goal,
            }
        )
        sides = {"project": "careerplan.wsgi:app", "baseline": "bench.bare_api:app"}
        # Each side's metrics files in a directory of its own (gunicorn.conf.py empties it on start).
        servers = {
            name: serve(app, {**env, "PROMETHEUS_MULTIPROC_DIR": f"{tmp}/metrics-{name}"})
            for name, app in sides.items()
        }
        rounds: dict[str, list[dict]] = {name: [] for name in sides}
        try:
            for _, port in servers.values():
                warm_up(port, script, key, goal)
            for _ in range(ROUNDS):
                for name, (_, port) in servers.items():
                    rounds[name].append(load_test(port, script, max(1, SECONDS // ROUNDS)))
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)
    results = {name: combined(runs) for name, runs in rounds.items()}
    for name, r in results.items():
        print(
            f"{name:8} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
            f"non-2xx {r['non_2xx']}  wrk CPU {r['wrk_cpu']:.2f} cores  "
            f"(rounds: {', '.join(f'{x:.0f}' for x in r['round_rps'])} req/s)"
        )
    print(
        f"ratio rps={results['project']['rps'] / results['baseline']['rps']:.2f} "
        f"p99_ms={results['project']['p99']:.1f}"
    )


def combined(runs: list[dict]) -> dict:
    """One side's rounds together: requests over total time; the median round's latencies; the worst wrk CPU."""

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "rps": sum(r["requests"] for r in runs) / sum(r["seconds"] for r in runs),
        "p50": median("p50"),
        "p99": median("p99"),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "wrk_cpu": max(r["wrk_cpu"] for r in runs),
        "round_rps": [r["rps"] for r in runs],
    }


if __name__ == "__main__":
    main()
