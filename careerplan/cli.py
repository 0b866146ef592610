"""The `careerplan` command line: serve the API and manage the database."""

from __future__ import annotations

import click
import structlog

from careerplan.cli_support import settings_or_exit
from careerplan.jobs_cli import jobs_cli
from careerplan.organisations_cli import coaches_cli, keys_cli, organisations_cli
from careerplan.projections_cli import projections_cli
from careerplan.store_cli import store_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="careerplan", prog_name="careerplan")
def main() -> None:
    """Career-goal coaching backend. Settings come from environment variables
    (DATABASE_URL, REDIS_URL, HOST, PORT, LOG_LEVEL, LIBRARY_LOG_LEVEL; see the
    README); without any, it runs on an embedded SQLite file in ./var."""
    import logging
    import os

    from careerplan import logs

    # Read directly, not through the settings: `--help` must work before the environment is complete.
    levels = {}
    for setting, default in (("LOG_LEVEL", "INFO"), ("LIBRARY_LOG_LEVEL", logs.LIBRARY_LEVEL)):
        levels[setting] = os.environ.get(setting, default).upper()
        if not isinstance(logging.getLevelName(levels[setting]), int):
            raise click.ClickException(
                f"{setting} {levels[setting]!r} is not a logging level (DEBUG, INFO, WARNING, ERROR)"
            )
    logs.configure(levels["LOG_LEVEL"], levels["LIBRARY_LOG_LEVEL"])


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic `upgrade head`)."""
    from careerplan.database import engine_for
    from eventstore.migrate import current_revision, upgrade

    # A migration may rewrite a large table: no statement timeout (the lock timeout stays).
    engine = engine_for(settings_or_exit(), statement_timeout_ms=0)
    upgrade(engine)
    click.echo(f"database at revision {current_revision(engine)}")


@main.command()
@click.option("--host", default=None, help="Interface to bind (default: $HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: $PORT or 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Run the API in this process. Without REDIS_URL (the embedded default) the worker,
    the scheduler and the projection follower run here too, and an empty database gets
    a demo organisation with the seed's example client. In production use gunicorn."""
    from careerplan.cli_support import services_or_exit

    settings = settings_or_exit()
    services = services_or_exit()
    host, port = host or settings.host, port or settings.port
    if settings.redis_url is None:
        from careerplan import embedded

        embedded.run(services, host, port)
        return
    from sqlalchemy.engine import make_url
    from werkzeug.serving import run_simple

    from api import create_app

    structlog.get_logger("careerplan.serve").info(
        "serving",
        url=f"http://{host}:{port}",
        database=make_url(settings.database_url).render_as_string(hide_password=True),
    )
    run_simple(host, port, create_app(services=services), threaded=True, use_reloader=False)


@main.command()
@click.option(
    "--threads", type=int, default=None, help="Worker threads (default: $WORKER_THREADS or 4)."
)
def worker(threads: int | None) -> None:
    """Process background work (re-alignment checks, digests) from Redis, and relay the outbox."""
    from careerplan.cli_support import services_or_exit
    from workers import process

    process.run(services_or_exit(), threads)


@main.command()
def scheduler() -> None:
    """Enqueue periodic work (daily re-alignment sweep, weekly and quarterly digests). Run one."""
    from careerplan.cli_support import services_or_exit
    from workers import scheduler as periodic
    from workers.process import build

    services = services_or_exit()
    broker = build(services)
    periodic.run(services.engine, broker, services.clock, services.settings)


main.add_command(projections_cli)
main.add_command(jobs_cli)
main.add_command(organisations_cli)
main.add_command(keys_cli)
main.add_command(coaches_cli)
main.add_command(store_cli)


if __name__ == "__main__":
    main()
