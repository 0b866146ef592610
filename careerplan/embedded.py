"""The embedded default in one process: API, worker, scheduler and projection follower on SQLite.

A newcomer sees the whole system with one command and no servers. Messages
live in an in-process broker: work in flight at a restart is lost, but the
events are in the SQLite file, so nothing accepted is; the views catch up and
`careerplan jobs resume` re-enqueues an unfinished digest run.
"""

from __future__ import annotations

import threading

import click
import dramatiq
from apscheduler.schedulers.background import BackgroundScheduler
from werkzeug.serving import run_simple

from api import create_app
from careerplan.demo import ensure_demo, try_these
from workers import scheduler as periodic
from workers.follower import follow_forever
from workers.process import build, relay_forever


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
    click.echo(
        f"careerplan on {base_url}  (database: {services.settings.database_url}; "
        "API, worker, scheduler and projections in this process)"
    )
    if demo:
        click.echo(
            f"demo organisation {demo.organisation_id}; its admin key (shown once):\n  {demo.admin_key}"
        )
        click.echo("try:")
        for line in try_these(demo, base_url):
            click.echo(f"  {line}")
    else:
        click.echo(
            "existing data found; make a key with: careerplan keys create --organisation <id> --role admin"
        )
    click.echo(
        f"  curl -s {base_url}/health   |   OpenAPI: {base_url}/openapi.json   docs: {base_url}/docs"
    )
    try:
        run_simple(host, port, create_app(services=services), threaded=True, use_reloader=False)
    finally:
        stop.set()
        scheduler.shutdown(wait=False)
        lock.release()
        worker.stop()
