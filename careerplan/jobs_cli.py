"""`careerplan jobs …`: background work that failed past its retries, and digest runs."""

from __future__ import annotations

import time
from datetime import date

import click
import sqlalchemy as sa
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from careerplan.cli_support import services_or_exit


@click.group("jobs")
def jobs_cli() -> None:
    """Background work: failed jobs, re-driving them, digest runs."""


@jobs_cli.command("failed")
def failed() -> None:
    """List jobs that failed past their last retry and are not re-driven yet."""
    from services.jobs.tables import failed_jobs

    with services_or_exit().engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(failed_jobs)
                .where(failed_jobs.c.redriven_at.is_(None))
                .order_by(failed_jobs.c.failed_at)
            )
            .mappings()
            .all()
        )
    for row in rows:
        click.echo(
            f"{row['message_id']}  {row['actor_name']}  {row['failed_at']:%Y-%m-%d %H:%M}  {row['error']}"
        )
    click.echo(f"{len(rows)} failed job(s)")


@jobs_cli.command()
@click.argument("message_id", required=False)
def redrive(message_id: str | None) -> None:
    """Send failed jobs (one, or all) through the outbox again."""
    from services.jobs.failures import redrive as redrive_jobs

    click.echo(f"re-driven {redrive_jobs(services_or_exit().engine, message_id)} job(s)")


@jobs_cli.command()
@click.argument("organisation_id")
@click.option(
    "--kind", type=click.Choice(["weekly", "quarterly"]), default="quarterly", show_default=True
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Run for the period before this day (default: the organisation's today, in its time zone).",
)
@click.option(
    "--provisional",
    is_flag=True,
    default=False,
    help="Allow a period that has not ended yet; its digests are marked provisional and replaced "
    "by the period's final run.",
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="Show progress until the run finishes.",
)
def digests(organisation_id: str, kind: str, today, provisional: bool, wait: bool) -> None:
    """Start (or resume watching) an organisation's digest run, with a progress bar.

    A period ends at midnight in the organisation's time zone; a run for one
    that has not ended exits with status 1 unless --provisional.
    """
    from services.digests import runs as digest_runs

    services = services_or_exit()
    services.projections.catch_up()
    day: date | None = today.date() if today else None
    try:
        run_id = digest_runs.start_run(
            services.engine,
            organisation_id,
            kind,
            services.clock(),
            today=day,
            provisional=provisional,
        )
    except digest_runs.PeriodNotEnded as refused:
        raise click.ClickException(f"{refused.code}: {refused.message}") from None
    with services.engine.connect() as conn:
        marker = " (provisional)" if digest_runs.run_status(conn, run_id).provisional else ""
    click.echo(f"digest run {run_id}{marker}")
    if not wait:
        return
    with Progress(
        "{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        task = bar.add_task(f"{kind} digests", total=None)
        while True:
            with services.engine.connect() as conn:
                status = digest_runs.run_status(conn, run_id)
            bar.update(task, completed=status.done + status.failed, total=status.total)
            if status.pending == 0:
                break
            time.sleep(0.5)
    click.echo(f"done {status.done}, failed {status.failed} of {status.total}")


@jobs_cli.command()
@click.argument("run_id")
def resume(run_id: str) -> None:
    """Re-enqueue a digest run's unfinished subjects (finished ones are not redone)."""
    from services.digests import runs as digest_runs

    click.echo(
        f"re-enqueued {digest_runs.resume_run(services_or_exit().engine, run_id)} subject(s)"
    )
