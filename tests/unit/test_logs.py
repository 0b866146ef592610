"""careerplan/logs.py: every logger, ours and the libraries', writes one JSON line with the essentials."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
import structlog
from flask import Flask, g

from careerplan import logs
from services.privacy.client_keys import WrongMasterKey
from services.webhooks import WebhookFailed


@pytest.fixture
def lines(monkeypatch):
    """Logging configured as a process does it, and a function returning the JSON lines so far."""
    written = io.StringIO()
    monkeypatch.setattr(sys, "stderr", written)
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    logs.configure("INFO")
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name in logs.LIBRARY_LOGGERS + logs.OUR_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    structlog.reset_defaults()


def test_library_chatter_below_warning_is_dropped_and_ours_is_kept(lines):
    logging.getLogger("apscheduler.executors.default").info("Running job relay")
    logging.getLogger("alembic.runtime.plugins").info("setup plugin")
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /health HTTP/1.1" 200 -')
    logging.getLogger("dramatiq.worker").warning("Failed to requeue %s", "m-1")
    structlog.get_logger("workers.process").info("relayed", count=3)

    written = lines()
    assert [(line["logger"], line["event"]) for line in written] == [
        ("dramatiq.worker", "Failed to requeue m-1"),
        ("workers.process", "relayed"),
    ]
    assert all(line["timestamp"].endswith("Z") and line["level"] for line in written)
    assert written[1]["count"] == 3


def test_a_failed_webhook_attempt_is_one_line_with_its_status(lines):
    try:
        raise WebhookFailed("delivery d-1 to https://hooks.example.com/a failed: HTTP 500")
    except WebhookFailed:
        logging.getLogger("dramatiq.worker").error("Failed to process message", exc_info=True)
    try:
        raise KeyError("a bug")
    except KeyError:
        logging.getLogger("dramatiq.worker").error("Failed to process message", exc_info=True)

    failed, bug = lines()
    assert failed["error"].endswith("failed: HTTP 500") and "exception" not in failed
    assert "Traceback" in bug["exception"]  # anything else keeps its traceback


def test_lines_written_during_a_request_carry_its_id(lines):
    app = Flask(__name__)
    with app.test_request_context("/v1/me"):
        g.request_id = "req-9"
        logging.getLogger("api.errors").warning("something odd")
        structlog.get_logger("services.plans").warning("also odd")

    assert [line["request_id"] for line in lines()] == ["req-9", "req-9"]


def test_a_wrong_master_key_met_by_a_worker_is_one_line_naming_the_setting(lines):
    try:
        raise WrongMasterKey(
            "the data key of client c-1 was wrapped by master key ab12, not by the "
            "configured MASTER_KEY (cd34)"
        )
    except WrongMasterKey:
        logging.getLogger("dramatiq.worker").error("Failed to process message", exc_info=True)

    [line] = lines()
    assert "MASTER_KEY" in line["error"] and "exception" not in line
