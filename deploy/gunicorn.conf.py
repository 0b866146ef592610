"""gunicorn settings for the API image (the Dockerfile's CMD passes --config).

The bind address, worker count and worker class stay on the command line, where
they are seen; this file only wires Prometheus metrics across worker processes.
Each gunicorn worker counts in its own memory, so a scrape of /metrics would see
one worker's share. In prometheus_client's multiprocess mode every worker writes
its samples to files in PROMETHEUS_MULTIPROC_DIR and /metrics adds them up: the
directory has to be set before the workers import the app, be emptied when the
server starts (a restarted container must not count the old run twice), and a
dead worker's files have to be marked, hence the hooks below.

Its log lines go through careerplan/logs.py like every other: one JSON object
per line on standard error, gunicorn's own at LIBRARY_LOG_LEVEL (WARNING by
default). The API writes the one line per request (api/access_log.py), so
gunicorn's access log, if turned on with --access-logfile, is dropped
(always: it would double that line).
"""

import os
from pathlib import Path

from gunicorn import glogging

metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/careerplan-metrics"))


def on_starting(server):
    """In the master, before any worker: an empty metrics directory."""
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in metrics_dir.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """In the master, when a worker has gone: keep its counters, drop its live gauges."""
    try:
        from prometheus_client import multiprocess
    except ImportError:  # metrics not installed: nothing to mark
        return
    multiprocess.mark_process_dead(worker.pid, str(metrics_dir))


def _without_server_banner() -> None:
    """No `Server: gunicorn` header: the banner only tells a scanner what to try.

    gunicorn writes it among its fixed headers with no setting to drop it, so
    the line is filtered out of them; this file runs in the master before the
    workers fork, so every worker answers without it.
    """
    from gunicorn.http import wsgi

    fixed_headers = wsgi.Response.default_headers

    def default_headers(self):
        return [line for line in fixed_headers(self) if not line.lower().startswith("server:")]

    wsgi.Response.default_headers = default_headers


_without_server_banner()


class JsonLogger(glogging.Logger):
    """gunicorn's logger, its handlers replaced by careerplan's JSON lines (master and workers)."""

    def setup(self, cfg):
        super().setup(cfg)
        from careerplan import logs

        logs.configure(
            os.environ.get("LOG_LEVEL", "INFO"),
            os.environ.get("LIBRARY_LOG_LEVEL", logs.LIBRARY_LEVEL),
        )


logger_class = JsonLogger
