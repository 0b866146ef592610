"""`careerplan projections …`: follow, rebuild and check the read views."""

from __future__ import annotations

import functools
import signal
import threading

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from careerplan.cli_support import services_or_exit
from workers.follower import follow_forever


@click.group("projections")
def projections_cli() -> None:
    """Read views built from the events: follow the feed, rebuild, check."""


def _names(services, wanted: tuple[str, ...]):
    known = {p.name: p for p in services.projections.projections if p.rebuildable}
    unknown = set(wanted) - known.keys()
    if unknown:
        raise click.BadParameter(
            f"unknown view(s) {', '.join(sorted(unknown))}; known: {', '.join(known)}"
        )
    return [known[n] for n in dict.fromkeys(wanted)] if wanted else list(known.values())


def _bar() -> Progress:
    return Progress("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


@projections_cli.command()
@click.argument("names", nargs=-1)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes folding the streams (default: one per core; 1: this process alone).",
)
def rebuild(names: tuple[str, ...], workers: int | None) -> None:
    """Drop and rebuild the named views (default: all) from the first event, in one pass."""
    from careerplan.bootstrap import open_event_store
    from projections.rebuild import default_workers, rebuild_all

    services = services_or_exit()
    chosen = _names(services, names)
    listed = ", ".join(p.name for p in chosen)
    with _bar() as bar:
        task = bar.add_task(f"rebuilding {listed}", total=None)
        done = rebuild_all(
            services.engine,
            services.store,
            chosen,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
            workers=workers or default_workers(),
            open_store=functools.partial(open_event_store, services.settings),
        )
    for projection in chosen:
        click.echo(f"{projection.name}: rebuilt from {done} events")


@projections_cli.command()
def check() -> None:
    """Rebuild into scratch tables and compare with the live views; exit 1 on any difference."""
    from projections.rebuild import check as check_views

    services = services_or_exit()
    with _bar() as bar:
        task = bar.add_task("rebuilding into scratch tables", total=None)
        report = check_views(
            services.engine,
            services.store,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    for line in report.differences:
        click.echo(line)
    click.echo(
        f"compared {report.compared_rows} rows: "
        + ("identical" if report.identical else f"{len(report.differences)} differences")
    )
    if not report.identical:
        raise SystemExit(1)


@projections_cli.command()
def lag() -> None:
    """How many events each view is behind the head of the feed."""
    for name, behind in services_or_exit().projections.lag().items():
        click.echo(f"{name}: {behind} events behind")


@projections_cli.command()
@click.option("--interval", default=0.5, show_default=True, help="Seconds between polls when idle.")
@click.option("--once", is_flag=True, help="Catch up once and exit.")
def follow(interval: float, once: bool) -> None:
    """Follow the feed and keep every view current (the catch-up process); rides out database outages."""
    runner = services_or_exit().projections
    if once:
        click.echo(f"applied {runner.catch_up()} events")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    follow_forever(runner, stop, interval)
