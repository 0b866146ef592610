"""The README, followed literally on a fresh clone: its first command serves, its curl lines answer.

Clones the committed repository into a temporary folder, runs the README's
first command there in the background (it installs into a new venv and
serves the embedded default on port 8000), waits for the demo's curl lines
(in its `serving` log line) and runs them as printed; then runs the README's
quickstart block with the admin key that line printed, as a reader pastes it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from servers import unavailable

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = "## Quickstart: the seed's client over HTTP"
SERVER_ENV = ("DATABASE_URL", "REDIS_URL", "API_KEY_SECRET", "MASTER_KEY", "PORT", "HOST")


def readme_commands() -> list[str]:
    """The commands of the README's first fenced block (comments and blank lines left out)."""
    block = re.search(r"```[a-z]*\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [
        line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]


def quickstart_block() -> str:
    """The bash block of the README's quickstart section, as written."""
    section = (ROOT / "README.md").read_text().split(QUICKSTART, 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def log_events(output: str) -> list[dict]:
    """The JSON log lines of the server's output (the pip install before it is plain text)."""
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_the_readme_first_command_serves_the_demo_and_its_curl_lines_answer(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    if port_in_use(8000):
        unavailable("free port 8000 (the README's embedded default)")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SERVER_ENV and not k.startswith("VIRTUAL_ENV")
    }
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["bash", "-c", readme_commands()[0]],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 600  # a fresh venv installs every dependency first
        while time.monotonic() < deadline and server.poll() is None and not port_in_use(8000):
            time.sleep(1)
        time.sleep(2)  # the banner is printed before the server listens; give the pipe a moment
        curls = [curl for line in log_events(log.read_text()) for curl in line.get("try", [])]
        assert len(curls) >= 3, log.read_text()[-3000:]
        for line in curls[:3]:
            answer = subprocess.run(
                ["bash", "-c", line + " -w '\\n%{http_code}'"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout
            body, _, status = answer.rpartition("\n")
            assert status == "200", (line, answer[-500:])
            assert json.loads(body)
        admin_key = next(e["admin_key"] for e in log_events(log.read_text()) if "admin_key" in e)
        quickstart = subprocess.run(
            ["bash", "-e", "-c", quickstart_block()],
            env={**env, "KEY": admin_key},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert quickstart.returncode == 0, (quickstart.stdout[-3000:], quickstart.stderr[-3000:])
        assert "# Review digest for Sam Example, 2026-W46" in quickstart.stdout
        assert "Streak: 2 weeks with a win" in quickstart.stdout  # the back-dated milestone counts
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
