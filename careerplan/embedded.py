"""The embedded default in one process: API, worker, scheduler and projection follower on SQLite.

A newcomer sees the whole system with one command and no servers. Messages
live in an in-process broker: work in flight at a restart is lost, but the
events are in the SQLite file, so nothing accepted is; the views catch up and
`careerplan jobs resume` re-enqueues an unfinished digest run.

What it prints is a log line like any other (JSON, careerplan/logs.py): the
address, and on the first start the demo's admin key with three curl lines.
"""

from __future__ import annotations

import threading

import dramatiq
import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import make_url
from werkzeug.serving import run_simple

from api import create_app
from careerplan.demo import ensure_demo, try_these
from workers import scheduler as periodic
from workers.follower import follow_forever
from workers.process import build, relay_forever


def announce(base_url: str, database_url: str, demo) -> None:
    """One `serving` log line: where, on what, and the demo's key and curl lines when just made."""
    found = {
        "url": base_url,
        "database": make_url(database_url).render_as_string(hide_password=True),
        "in_process": "API, worker, scheduler and projections",
        "health": f"curl -s {base_url}/health",
        "openapi": f"{base_url}/openapi.json",
        "docs": f"{base_url}/docs",
    }
    if demo:
        found |= {
            "demo_organisation_id": demo.organisation_id,
            "admin_key": demo.admin_key,
            "admin_key_note": "shown once, on this first start",
            "try": try_these(demo, base_url),
        }
    else:
        found["make_a_key"] = "careerplan keys create --organisation <id> --role admin"
    log = structlog.get_logger("careerplan.serve")
    # The demo key is shown once: at WARNING, so no LOG_LEVEL can hide it.
    (log.warning if demo else log.info)("serving", **found)


def run(services, host: str, port: int) -> None:
    """Serve until Ctrl-C, with the background parts running beside the API."""
    broker = build(services)
    worker = dramatiq.Worker(broker, worker_threads=2)
    stop = threading.Event()
    scheduler = BackgroundScheduler(timezone="UTC")
    lock = periodic.schedule(
        scheduler,
        services.engine,
        broker,
        services.clock,
        **periodic.timing(services.settings),
    )
    base_url = f"http://{host}:{port}"
    demo = ensure_demo(services)
    worker.start()
    scheduler.start()
    for target, args in (
        (relay_forever, (services, broker, stop)),
        (follow_forever, (services.projections, stop)),
    ):
        threading.Thread(target=target, args=args, daemon=True).start()
    announce(base_url, services.settings.database_url, demo)
    try:
        run_simple(host, port, create_app(services=services), threaded=True, use_reloader=False)
    finally:
        stop.set()
        scheduler.shutdown(wait=False)
        lock.release()
        worker.stop()
