"""The API's CPU per request, counted rather than timed, against the bare baseline of bench.api.

Requests/s on a shared 2-core machine swing by ±30% from one minute to the
next; the instructions a request executes do not (the same figure twice to
within 1%). Each side serves the bench's two requests (a roadmap read, a
check-in) in its own process through Flask's test client, one at a time, with
every client's plan and view already warm; valgrind's callgrind counts the
instructions of the measured requests only. What it counts is the Python
side: PostgreSQL's work and gunicorn's are not in the figures (bench.api
measures them all). A change to the hot path can be judged in two minutes
here, where bench.api needs several runs to rise above the noise.
Run: `python -m bench.api_cpu` (reads DATABASE_URL; needs valgrind). The last
line is `ratio instructions mix=<x> get=<y> post=<z>`: baseline over project,
so higher is better, as with bench.api's ratio; mix weighs reads 80%, commands 20%.
"""

from __future__ import annotations

import logging
import os
import random
import re
import subprocess
import sys
import tempfile

from bench.api import CHECK_IN_BODY, check_in_path, prepare, request_headers, roadmap_path
from bench.history import client_id
from bench.scratch import scratch_database

CLIENTS = 200
REQUESTS = 100  # measured per side and kind
READ_SHARE = 0.8
SIDES = ("project", "baseline")
KINDS = ("get", "post")
_COLLECTED = re.compile(r"Collected : (\d+)")


def main() -> None:
    with scratch_database("bench_api_cpu") as url, tempfile.TemporaryDirectory() as tmp:
        key, goal, env = prepare(url, CLIENTS)
        counted = {
            (side, kind): _count(side, kind, key, goal, env, tmp)
            for side in SIDES
            for kind in KINDS
        }
    per_request = {side: {kind: counted[side, kind] / REQUESTS for kind in KINDS} for side in SIDES}
    for figures in per_request.values():
        figures["mix"] = READ_SHARE * figures["get"] + (1 - READ_SHARE) * figures["post"]
    for side, figures in per_request.items():
        print(
            f"{side:8} "
            + "  ".join(f"{kind} {figures[kind] / 1000:7.0f}k" for kind in ("get", "post", "mix"))
            + " instructions/request"
        )
    ratio = {
        kind: per_request["baseline"][kind] / per_request["project"][kind]
        for kind in ("mix", "get", "post")
    }
    print("ratio instructions " + " ".join(f"{kind}={value:.2f}" for kind, value in ratio.items()))


def _count(side: str, kind: str, key: str, goal: str, env: dict[str, str], tmp: str) -> int:
    """Instructions one side's process executes for REQUESTS requests of one kind, warm."""
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={tmp}/{side}.{kind}.out",
            sys.executable,
            "-m",
            "bench.api_cpu",
            "--serve",
            side,
            kind,
            key,
            goal,
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    counts = _COLLECTED.findall(run.stderr)
    if run.returncode != 0 or not counts or int(counts[-1]) == 0:
        raise RuntimeError(f"counting {side} {kind} failed: {run.stderr[-2000:]}")
    return int(counts[-1])


def serve(side: str, kind: str, key: str, goal: str) -> None:
    """In the counted process: warm every client, then serve the measured requests with counting on."""
    http = _app(side).test_client()
    headers = request_headers(key)
    clients = [client_id(n) for n in range(CLIENTS)]

    def read(client: str):
        return http.get(roadmap_path(client), headers=headers)

    def check_in(client: str):
        return http.post(check_in_path(client, goal), headers=headers, data=CHECK_IN_BODY)

    for client in clients:  # each plan known, then each view brought up to its events
        _expect(check_in(client), 201)
    for client in clients:
        _expect(read(client), 200)
    request = read if kind == "get" else check_in
    measured = random.Random(42).choices(clients, k=REQUESTS)
    _counting("on")
    for client in measured:
        _expect(request(client), 200 if kind == "get" else 201)
    _counting("off")


def _app(side: str):
    if side == "baseline":
        from bench.bare_api import app

        return app
    from careerplan import logs
    from careerplan.serving import app_for

    logs.configure(
        "INFO"
    )  # the access line is built and written, as under gunicorn, but to nowhere
    for handler in logging.getLogger().handlers:
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process
    return app_for()


def _counting(state: str) -> None:
    subprocess.run(
        ["callgrind_control", "--instr", state, str(os.getpid())], check=True, capture_output=True
    )


def _expect(answer, status: int) -> None:
    if answer.status_code != status:
        raise RuntimeError(
            f"expected {status}, got {answer.status_code}: {answer.get_data(as_text=True)[:300]}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(*sys.argv[2:6])
    else:
        main()
