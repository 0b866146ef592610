"""`careerplan store …`: check the event store, export a client's history."""

from __future__ import annotations

import json

import click
from careerplan.cli_support import services_or_exit


@click.group("store")
def store_cli() -> None:
    """The append-only event store: verify it, export a client's history."""


@store_cli.command()
def verify() -> None:
    """Check every stream: versions contiguous from 1, every event readable at its current schema.

    Exits 1 and names the first problem of each broken stream.
    """
    from services.event_mapping import client_of, to_domain

    services = services_or_exit()
    problems, checked, expected = [], 0, {}
    for batch in services.store.scan_streams(up_to=services.store.head()):
        for event in batch:
            version = expected.get(event.stream_id, 1)
            if event.stream_version != version and event.stream_id not in {p[0] for p in problems}:
                problems.append((event.stream_id, f"version {event.stream_version} where {version} was due"))
            expected[event.stream_id] = event.stream_version + 1
            try:
                if client_of(event.stream_id) is not None:
                    to_domain(event)
            except Exception as error:  # noqa: BLE001 - reported, the check goes on
                problems.append((event.stream_id, f"version {event.stream_version} unreadable: {error}"))
            checked += 1
    for stream, problem in problems:
        click.echo(f"{stream}: {problem}")
    click.echo(f"checked {checked} events in {len(expected)} streams: "
               + ("all readable and contiguous" if not problems else f"{len(problems)} problem(s)"))
    if problems:
        raise SystemExit(1)


@store_cli.command()
@click.argument("client_id")
@click.option("--organisation", "organisation_id", required=True, help="The client's organisation.")
def export(client_id: str, organisation_id: str) -> None:
    """Print a client's whole history as JSON Lines (one event per line, oldest first)."""
    from projections.queries import event_record
    from services.event_mapping import stream_id
    from services.plans import ClientNotFound

    services = services_or_exit()
    try:
        services.plans.load(organisation_id, client_id)  # not found across organisations
    except ClientNotFound as missing:
        raise click.ClickException(str(missing)) from None
    for event in services.store.read_stream(stream_id(client_id)):
        click.echo(json.dumps(event_record(event)))
