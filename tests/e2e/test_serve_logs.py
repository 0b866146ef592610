"""Issue 17's done-when for logs: 60 s of `careerplan serve` under light load is only JSON lines.

Runs the embedded default (SQLite in a temporary folder, API, worker,
scheduler and projection follower in one process) on a free port, sends a
few dozen requests (health, the demo's roadmap with the key from the
`serving` line, a 404, an unauthenticated read) while the scheduler's
one-second outbox relay ticks about sixty times, and reads everything the
process wrote to standard output and standard error.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

SERVE_SECONDS = 60  # the figure: some 60 relay ticks, a few dozen requests
SERVER_ENV = ("DATABASE_URL", "REDIS_URL", "PORT", "HOST", "LOG_LEVEL", "LIBRARY_LOG_LEVEL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10):
            return 200
    except urllib.error.HTTPError as answer:
        return answer.code


def answers(url: str) -> bool:
    """True once `url` answers 200; a refused connection is a server still starting."""
    try:
        return status_of(url) == 200
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return False
        raise


def serving_line(output_path) -> dict | None:
    """The `serving` event, once the server has written it."""
    for line in output_path.read_text().splitlines():
        if line.startswith("{") and json.loads(line).get("event") == "serving":
            return json.loads(line)
    return None


def test_a_minute_of_serve_under_light_load_logs_only_json_lines(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV}
    env |= {"HOST": "127.0.0.1", "PORT": str(port)}
    output = tmp_path / "serve.log"
    with output.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "careerplan.cli", "serve"],
            cwd=tmp_path,  # the embedded SQLite file goes to ./var here
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = time.monotonic()
    sent = 0
    try:
        banner = None
        while banner is None and time.monotonic() - started < 30 and server.poll() is None:
            time.sleep(0.5)
            banner = serving_line(output)
        assert banner, output.read_text()[-3000:]
        base, key = banner["url"], banner["admin_key"]
        roadmap = banner["try"][0].split()[-1]
        assert roadmap.endswith("/roadmap")
        while not answers(f"{base}/health"):  # the banner comes before the socket listens
            time.sleep(0.2)
        sent += 1
        while time.monotonic() - started < SERVE_SECONDS:
            assert status_of(f"{base}/health") == 200
            assert status_of(roadmap, {"Authorization": f"Bearer {key}"}) == 200
            assert status_of(f"{base}/no-such-page") == 404
            assert status_of(roadmap) == 401
            sent += 4
            time.sleep(2)
        assert server.poll() is None, "the server exited"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    lines = output.read_text().splitlines()
    not_json = [line for line in lines if not _is_json_object(line)]
    assert not not_json, not_json[:10]
    events = [json.loads(line) for line in lines]
    assert all(e.get("timestamp") and e.get("level") and e.get("logger") for e in events), [
        e for e in events if not (e.get("timestamp") and e.get("level") and e.get("logger"))
    ][:5]
    requests = [e for e in events if e["event"] == "request"]
    assert len(requests) == sent >= 30  # one line per request: werkzeug's own is not there
    assert all(r["request_id"] and r["timestamp"].endswith("Z") for r in requests)
    assert not [e for e in events if e["logger"].startswith("apscheduler")]  # no relay tick
    assert not [e for e in events if e["logger"].startswith("alembic")]


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
