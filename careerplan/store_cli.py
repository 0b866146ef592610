"""`careerplan store …`: check the event store, export a client's history."""

from __future__ import annotations

import json

import click
from careerplan.cli_support import services_or_exit


@click.group("store")
def store_cli() -> None:
    """The append-only event store: verify it, export a client's history."""


@store_cli.command()
@click.option("--client", "client_id", default=None, help="Check only this client's history.")
def verify(client_id: str | None) -> None:
    """Check the hash chain of every stream (or one client's) and that every event reads at its current schema.

    Reports each broken stream's first broken link and exits 1 when any is found.
    """
    from services.event_mapping import client_of, stream_id, to_domain

    services = services_or_exit()
    streams = [stream_id(client_id)] if client_id else None
    report = services.store.verify(streams)
    problems = [(link.stream_id, f"version {link.stream_version}: {link.problem}") for link in report.broken]
    broken = {link.stream_id for link in report.broken}
    for stream in streams or _all_streams(services):
        if stream in broken or client_of(stream) is None:
            continue
        for event in services.store.read_stream(stream):
            if event.forgotten:
                continue  # a forgotten client's personal fields cannot be read, by design
            try:
                to_domain(event)
            except Exception as error:  # noqa: BLE001 - reported, the check goes on
                problems.append((stream, f"version {event.stream_version} unreadable: {error}"))
                break
    for stream, problem in problems:
        click.echo(f"{stream}: {problem}")
    click.echo(f"checked {report.events_checked} events in {report.streams_checked} streams: "
               + ("hash chains intact, every event readable" if not problems else f"{len(problems)} problem(s)"))
    if problems:
        raise SystemExit(1)


def _all_streams(services):
    import sqlalchemy as sa

    from eventstore.schema import events

    with services.store.reader.connect() as conn:
        yield from conn.execute(sa.select(events.c.stream_id).where(events.c.stream_version == 1)).scalars()


@store_cli.command()
@click.argument("client_id")
@click.option("--organisation", "organisation_id", required=True, help="The client's organisation.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who asked, for the erasure record.")
def forget(client_id: str, organisation_id: str, actor: str) -> None:
    """Forget a client: destroy their data key and purge their personal data (the history stays, erased)."""
    from services.plans import ClientNotFound

    services = services_or_exit()
    try:
        report = services.erasure.forget(organisation_id, client_id, actor)
    except ClientNotFound as missing:
        raise click.ClickException(str(missing)) from None
    purged = ", ".join(f"{table} {count}" for table, count in report.rows_purged.items())
    state = "forgotten" if report.key_destroyed else "already forgotten"
    click.echo(f"client {client_id} {state} at {report.forgotten_at.isoformat()}; rows purged: {purged}")


@store_cli.command()
@click.argument("client_id")
@click.option("--organisation", "organisation_id", required=True, help="The client's organisation.")
def export(client_id: str, organisation_id: str) -> None:
    """Print a client's whole history as JSON Lines (one event per line, oldest first).

    A forgotten client's history is printed too, with their personal fields erased.
    """
    from projections.queries import event_record
    from services.event_mapping import stream_id
    from services.plans import ClientNotFound

    services = services_or_exit()
    owner = services.tenancy.owners.owner(client_id)
    if owner is None or owner.organisation_id != organisation_id:  # not found across organisations
        raise click.ClickException(str(ClientNotFound(f"client {client_id} was not found")))
    for event in services.store.read_stream(stream_id(client_id)):
        click.echo(json.dumps(event_record(event)))
