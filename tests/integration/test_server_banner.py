"""gunicorn with the deploy configuration names no server in its answers."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_answers_without_a_server_banner(tmp_path, monkeypatch):
    (tmp_path / "banner_app.py").write_text(APP)
    port = free_port()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(tmp_path),
            "banner_app:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        headers = _headers_when_up(port)
    finally:
        server.terminate()
        server.wait(10)
    assert headers is not None, "gunicorn did not answer"
    assert "server" not in {name.lower() for name in headers} and "Date" in headers


def _headers_when_up(port: int) -> dict[str, str] | None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            return dict(connection.getresponse().getheaders())
        except OSError:
            time.sleep(0.2)
    return None
