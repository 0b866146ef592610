"""bench.api serves both sides with the API image's own gunicorn command, so a serving setting reaches both."""

from __future__ import annotations

import json

from bench import api


def _dockerfile_cmd() -> list[str]:
    (cmd,) = [line for line in api.DOCKERFILE.read_text().splitlines() if line.startswith("CMD ")]
    return json.loads(cmd[4:])


def _option(command: list[str], name: str) -> str:
    return command[len(command) - 1 - command[::-1].index(name) + 1]  # the last one given wins


def test_each_side_runs_the_images_options_with_its_settings_file_on_loopback(monkeypatch):
    monkeypatch.setattr(api, "WORKERS", None)
    monkeypatch.setattr(api, "THREADS", None)
    image = _dockerfile_cmd()

    command = api.image_command("bench.bare_api:app", 8123)

    assert command[-1] == "bench.bare_api:app"
    assert _option(command, "--config") == str(api.GUNICORN_CONF)
    assert _option(command, "--bind") == "127.0.0.1:8123"
    for option in ("--workers", "--worker-class", "--threads"):
        assert _option(command, option) == _option(image, option)


def test_the_benchs_worker_and_thread_counts_override_the_images(monkeypatch):
    monkeypatch.setattr(api, "WORKERS", "3")
    monkeypatch.setattr(api, "THREADS", "2")

    command = api.image_command("careerplan.wsgi:app", 8123)

    assert _option(command, "--workers") == "3"
    assert _option(command, "--threads") == "2"


def test_a_worker_count_asked_for_overrides_every_other(monkeypatch):
    monkeypatch.setattr(api, "WORKERS", "3")

    command = api.image_command("careerplan.wsgi:app", 8123, workers=1)

    assert _option(command, "--workers") == "1"
