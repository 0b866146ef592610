"""Two API hosts and two worker hosts behind haproxy; one API host dies under load.

Four network namespaces stand for four machines (see `netns_hosts`): api-a
and api-b each run gunicorn on `careerplan.wsgi` as the image does,
worker-a and worker-b each run `careerplan worker`; all reach the shared
PostgreSQL and Redis across their own link. haproxy (Debian's) in the root
namespace balances HTTP across the two APIs, checks `/health`, and
re-dispatches a connection the dead host refuses. Clients send check-ins
with an Idempotency-Key and retry as deploy/README.md tells them to
(connection errors, 502/503/504, 409 `idempotent_request_in_progress`,
honouring Retry-After), while a digest run keeps both workers busy. Once
api-a has served requests and has some in flight, every process on it is
SIGKILLed, as when a machine dies.

Afterwards: every command ended accepted (clients saw nothing but
answers they retry), each accepted key's check-in is stored exactly once,
api-b carried on, and both worker hosts fetched digest work over their
own link and the run finished with one digest per subject.

Needs root (namespaces) and haproxy: skipped on a laptop without them,
a failure under CI (`.ci/run` installs haproxy).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from live_api import Caller, new_organisation, schema_of, services_on
from netns_hosts import Hosts, why_not
from seeded_clients import clone_seed_clients
from workers_support import free_port, wait_for

from careerplan.seed_example import GOAL_KEYS, seed_id
from projections.tables import LIVE
from services.digests import runs as digest_runs
from services.digests.tables import digests
from services.plans.event_mapping import stream_id

pytestmark = [pytest.mark.multihost, pytest.mark.faults, pytest.mark.postgres]

REPOSITORY = Path(__file__).resolve().parents[2]
API_PORT = 8000
TAKEOVER_S = 10  # IDEMPOTENCY_TAKEOVER_S: the dead host's unsettled keys are taken over after this
# Load threads, one client each: no concurrency conflicts, so every answer is about the fault.
CLIENTS = 8
# Eight chunks of 50: more than one worker holds at once (it prefetches two), and more than it
# finishes while the other's consumer sleeps between polls of an empty queue (up to 1 s): with
# four, one worker was seen to take them all.
DIGEST_CLIENTS = 400
DIGEST_ORGANISATION = "org-multihost-digests"
DIGEST_ACTOR = b"generate_client_digests"
AFTER_KILL_S = 5  # load goes on this long after the kill
COMMAND_DEADLINE_S = 45  # a command still not accepted after this is a failure the client sees
RETRIED_STATUSES = {502, 503, 504}
HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


def require_hosts() -> None:
    """Skip without root; as root, a missing `ip` or haproxy fails under CI and skips elsewhere."""
    reason = why_not()
    if reason == "network namespaces need root":
        pytest.skip(reason)
    if reason is None and HAPROXY is None:
        reason = "haproxy is not installed (apt-get install haproxy; .ci/run does)"
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


# -- the machines -----------------------------------------------------------------------------


def host_env(host, postgres_engine, redis_url: str, prefix: str, tmp: Path) -> dict[str, str]:
    """Settings of a process on `host`: PostgreSQL and Redis through the host's own forwarders."""
    db, redis_target = postgres_engine.url, sa.make_url(redis_url)
    pg = host.forward("postgres", (db.host or "127.0.0.1", db.port or 5432))
    rd = host.forward("redis", (redis_target.host or "127.0.0.1", redis_target.port or 6379))
    database_url = db.set(
        host=host.gateway,
        port=pg.port,
        query={"options": f"-csearch_path={schema_of(postgres_engine)}"},
    ).render_as_string(hide_password=False)
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://{host.gateway}:{rd.port}/{redis_target.database or 0}",
        "REDIS_NAMESPACE": prefix,
        "MIGRATE_ON_START": "false",
        "RATE_LIMIT": "1000000/minute",
        "METRICS_ENABLED": "false",
        "IDEMPOTENCY_TAKEOVER_S": str(TAKEOVER_S),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / f"metrics-{host.name}"),
        "WORKER_THREADS": "1",  # prefetches two messages: the run's four chunks cannot all go to one
    }


def start_api(host, env: dict[str, str], tmp: Path) -> None:
    """gunicorn on the host as the image runs it (gthread workers), on the host's own address."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(REPOSITORY / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"0.0.0.0:{API_PORT}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--graceful-timeout",
        "5",
        "careerplan.wsgi:app",
    ]
    host.start(command, env, tmp / f"{host.name}.log")


def start_worker(host, env: dict[str, str], tmp: Path) -> None:
    host.start([sys.executable, "-m", "careerplan.cli", "worker"], env, tmp / f"{host.name}.log")


def answers_health(address: str) -> bool:
    connection = http.client.HTTPConnection(address, API_PORT, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


HAPROXY_CONFIG = """\
global
    maxconn 512
    stats socket {socket} mode 600 level user

defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    timeout queue 10s
    # A connection the dead host refuses is tried again on the other one.
    retries 3
    option redispatch 1

frontend api
    bind 127.0.0.1:{port}
    default_backend careerplan

backend careerplan
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    http-response set-header X-Served-By %[srv_name]
    default-server inter 300ms fall 2 rise 2
{servers}
"""


@dataclass
class Haproxy:
    """Debian's haproxy in the foreground on a loopback port, its stats socket for the test."""

    directory: Path
    servers: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.directory / "haproxy.sock"

    def start(self) -> None:
        lines = [
            f"    server {name} {address}:{API_PORT} check"
            for name, address in self.servers.items()
        ]
        config = self.directory / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(socket=self.socket, port=self.port, servers="\n".join(lines))
        )
        log = (self.directory / "haproxy.log").open("ab")
        self.process = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stdout=log, stderr=log)
        wait_for(lambda: self.sessions() is not None, 20, "haproxy's stats socket")

    def sessions(self) -> dict[str, int] | None:
        """Current sessions per backend server (`scur`), None while the socket does not answer."""
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(2)
                sock.connect(str(self.socket))
                sock.sendall(b"show stat\n")
                raw = b""
                while chunk := sock.recv(65536):
                    raw += chunk
        except OSError:
            return None
        lines = raw.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
        return {
            row["svname"]: int(row["scur"] or 0) for row in rows if row["svname"] in self.servers
        }

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- the clients ------------------------------------------------------------------------------


@dataclass
class Command:
    """One check-in under one Idempotency-Key, as its client saw it: every attempt, the last answer."""

    client: str
    key: str
    attempts: list[object] = field(default_factory=list)  # a status, or an error's class name
    accepted: bool = False
    served_by: str | None = None
    finished: float = 0.0
    unexplained: str | None = None


class Load:
    """One thread per client sending check-ins through haproxy, each retried until accepted."""

    def __init__(self, caller: Caller, clients: list[str]):
        self.caller, self.clients = caller, clients
        self.commands: list[Command] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._loop, args=(client,), daemon=True)
            for client in self.clients
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop sending new commands; wait for those in flight (each ends by its deadline)."""
        self.stopping.set()
        for thread in self._threads:
            thread.join(COMMAND_DEADLINE_S + 15)

    def accepted_by(self, server: str) -> int:
        with self._lock:
            return sum(1 for c in self.commands if c.accepted and c.served_by == server)

    def _loop(self, client: str) -> None:
        while not self.stopping.is_set():
            command = Command(client, str(uuid.uuid4()))
            with self._lock:
                self.commands.append(command)
            try:
                self._send(command)
            except Exception as error:  # noqa: BLE001 - a dead thread would hide it: reported instead
                command.unexplained = f"{type(error).__name__}: {error}"

    def _send(self, command: Command) -> None:
        """Send until 2xx; retry what the documentation says to retry, note anything else."""
        goal = seed_id("template", "goal", GOAL_KEYS[0])  # clone_seed_clients' plans share ids
        path = f"/v1/clients/{command.client}/goals/{goal}/check-ins"
        deadline = time.monotonic() + COMMAND_DEADLINE_S
        while time.monotonic() < deadline:
            try:
                answer = self.caller.request(  # a request that hangs past the deadline fails it
                    "POST",
                    path,
                    {"confidence": 7, "value": 1},
                    {"Idempotency-Key": command.key},
                    timeout=max(0.1, deadline - time.monotonic()),
                )
            except (OSError, http.client.HTTPException) as error:
                command.attempts.append(type(error).__name__)
                time.sleep(0.2)
                continue
            command.attempts.append(answer.status)
            if 200 <= answer.status < 300:
                command.accepted, command.finished = True, time.monotonic()
                command.served_by = answer.headers.get("x-served-by")
                return
            in_progress = (
                answer.status == 409
                and (answer.body or {}).get("code") == "idempotent_request_in_progress"
            )
            if answer.status in RETRIED_STATUSES or in_progress:
                time.sleep(min(float(answer.headers.get("retry-after", "0.5")), 2.0))
                continue
            command.unexplained = f"{answer.status} {answer.body}"
            return
        command.unexplained = f"not accepted within {COMMAND_DEADLINE_S}s: {command.attempts}"


# -- the test ---------------------------------------------------------------------------------


@pytest.fixture
def hosts(postgres_engine, redis_namespace) -> Iterator[Hosts]:
    """The four hosts; stopped and removed before the test's schema and Redis keys go."""
    require_hosts()
    made = Hosts(["api-a", "api-b", "worker-a", "worker-b"])
    try:
        yield made
    finally:
        made.close()


def enrolled(services, organisation_id: str) -> int:
    services.projections.catch_up()
    views = LIVE.client_views
    with services.engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).where(views.c.organisation_id == organisation_id)
        ).scalar_one()


def run_status(services, run_id: str):
    with services.engine.connect() as conn:
        return digest_runs.run_status(conn, run_id)


def stored_keys(services, client: str) -> tuple[Counter, list[int]]:
    """How many CheckInRecorded each Idempotency-Key stored on the client's stream, and its versions."""
    events = services.store.read_stream(stream_id(client))
    keys = Counter(e.metadata.get("idempotency_key") for e in events if e.type == "CheckInRecorded")
    return keys, [e.stream_version for e in events]


def log_tails(directory: Path) -> str:
    return "\n".join(
        f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        for log in sorted(directory.glob("*.log"))
    )


def test_an_api_host_killed_under_load_loses_and_repeats_nothing(
    hosts, postgres_engine, redis_namespace, tmp_path
):
    started = time.monotonic()
    redis_url, prefix = redis_namespace
    for name in ("api-a", "api-b"):
        start_api(
            hosts[name],
            host_env(hosts[name], postgres_engine, redis_url, prefix, tmp_path),
            tmp_path,
        )
    for name in ("worker-a", "worker-b"):
        host = hosts[name]
        start_worker(host, host_env(host, postgres_engine, redis_url, prefix, tmp_path), tmp_path)
        host.forwarders["redis"].watch(DIGEST_ACTOR)

    services = services_on(
        postgres_engine
    )  # the test's own view of the database, from the root namespace
    organisation_id, key = new_organisation(services)
    clients = clone_seed_clients(services, organisation_id, CLIENTS)
    clone_seed_clients(services, DIGEST_ORGANISATION, DIGEST_CLIENTS)
    # The views follow the feed, which any open transaction on the server holds back: be patient.
    wait_for(
        lambda: enrolled(services, DIGEST_ORGANISATION) == DIGEST_CLIENTS, 120, "the digest clients"
    )
    for name in ("api-a", "api-b"):
        wait_for(lambda n=name: answers_health(hosts[n].address), 60, f"{name}'s /health")

    haproxy = Haproxy(tmp_path, {name: hosts[name].address for name in ("api-a", "api-b")})
    haproxy.start()
    load = Load(Caller(haproxy.port, key), clients)
    try:
        load.start()
        run_id = digest_runs.start_run(
            services.engine, DIGEST_ORGANISATION, "weekly", services.clock() + timedelta(weeks=1)
        )
        wait_for(lambda: load.accepted_by("api-a") >= 10, 60, "api-a to serve commands")
        wait_for(lambda: (haproxy.sessions() or {}).get("api-a", 0) >= 2, 20, "requests on api-a")
        hosts["api-a"].kill(signal.SIGKILL)  # master and workers at once: the machine is gone
        killed_at = time.monotonic()
        time.sleep(AFTER_KILL_S)
    finally:
        load.stop()
        haproxy.stop()

    wait_for(lambda: run_status(services, run_id).pending == 0, 90, "the digest run")
    status = run_status(services, run_id)
    with services.engine.connect() as conn:
        made = (
            conn.execute(
                sa.select(digests.c.subject).where(digests.c.organisation_id == DIGEST_ORGANISATION)
            )
            .scalars()
            .all()
        )
    fetched = {
        name: hosts[name].forwarders["redis"].seen(DIGEST_ACTOR)
        for name in ("worker-a", "worker-b")
    }

    commands = list(load.commands)
    unexplained = [c for c in commands if c.unexplained]
    retried = [c for c in commands if len(c.attempts) > 1]
    seen = Counter(a for c in commands for a in c.attempts if a not in (200, 201))
    lost = duplicated = smuggled = 0
    for client in clients:
        keys, versions = stored_keys(services, client)
        accepted = {c.key for c in commands if c.client == client and c.accepted}
        stored = {k for k in keys if k is not None}
        lost += len(accepted - stored)
        duplicated += sum(n - 1 for k, n in keys.items() if k is not None and n > 1)
        smuggled += len(stored - {c.key for c in commands if c.client == client})
        assert versions == list(range(1, len(versions) + 1)), f"gap in {client}'s stream"
    after_kill = Counter(c.served_by for c in commands if c.accepted and c.finished > killed_at + 1)
    print(
        f"\nmultihost: {len(commands)} commands through haproxy to 2 API hosts, api-a SIGKILLed "
        f"with {len(retried)} in flight or refused ({dict(seen)} seen, then retried); "
        f"{sum(c.accepted for c in commands)} accepted, {len(unexplained)} unexplained, {lost} lost, "
        f"{duplicated} duplicated; digest chunks fetched {fetched}, {status.done} digests; "
        f"{time.monotonic() - started:.0f} s"
    )
    assert retried, "the kill caught no request in flight"  # then nothing here was tried
    assert not unexplained, (unexplained[:3], log_tails(tmp_path))
    assert all(c.accepted for c in commands), [c for c in commands if not c.accepted]
    assert (lost, duplicated, smuggled) == (0, 0, 0)
    assert set(after_kill) == {"api-b"}, after_kill  # the survivor carried on alone
    assert hosts["api-a"].processes[0].poll() is not None
    assert (status.done, status.failed) == (DIGEST_CLIENTS + 2, 0), log_tails(tmp_path)
    assert len(made) == len(set(made)) == DIGEST_CLIENTS + 2
    assert all(n > 0 for n in fetched.values()), fetched  # both worker hosts did digest work
