"""`careerplan store …`: check the event store, export a client's history."""

from __future__ import annotations

import json

import click

from careerplan.cli_support import services_or_exit, settings_or_exit


@click.group("store")
def store_cli() -> None:
    """The append-only event store: verify it, export a client's history."""


@store_cli.command()
@click.option("--client", "client_id", default=None, help="Check only this client's history.")
def verify(client_id: str | None) -> None:
    """Check the hash chain of every stream (or one client's) and that every event reads at its current schema.

    The chains are checked over the events as stored (personal fields sealed),
    so this needs neither MASTER_KEY nor API_KEY_SECRET: an auditor can verify
    without being able to read. With the right MASTER_KEY the events are also
    opened and read; without it (or with another key) that part is skipped and
    said so. Reports each broken stream's first broken link and exits 1 when any is found.
    """
    from careerplan.database import engine_for
    from eventstore import EventStore
    from services.plans.event_mapping import stream_id

    settings = settings_or_exit(secrets_required=False)
    store = EventStore(engine_for(settings))
    streams = [stream_id(client_id)] if client_id else None
    try:
        report = store.verify(streams)
        problems = [
            (link.stream_id, f"version {link.stream_version}: {link.problem}")
            for link in report.broken
        ]
        unread = _read_every_event(
            settings, store, streams, {link.stream_id for link in report.broken}, problems
        )
    finally:
        store.close()
        store.engine.dispose()
    for stream, problem in problems:
        click.echo(f"{stream}: {problem}")
    readable = f"events not opened: {unread}" if unread else "every event readable"
    click.echo(
        f"checked {report.events_checked} events in {report.streams_checked} streams: "
        + (f"hash chains intact, {readable}" if not problems else f"{len(problems)} problem(s)")
    )
    if problems:
        raise SystemExit(1)


def _read_every_event(
    settings, plain_store, streams, broken: set[str], problems: list
) -> str | None:
    """Open and read every event of the unbroken streams; why they were not opened, or None when they were."""
    from careerplan.settings import SettingsError
    from eventstore import EventStore
    from services.plans.event_mapping import client_of, domain_codec, to_domain
    from services.privacy.client_keys import ClientKeys, WrongMasterKey
    from services.privacy.sealing import ClientDataSealer

    try:
        keys = ClientKeys(plain_store.engine, settings.data_master_key, reader=plain_store.reader)
    except SettingsError:
        return "MASTER_KEY is not set (the hash chains need no key)"
    store = EventStore(
        plain_store.engine, domain_codec(ClientDataSealer(keys)), reader=plain_store.reader
    )
    try:
        for stream in streams or _all_streams(store):
            if stream in broken or client_of(stream) is None:
                continue
            for event in store.read_stream(stream):
                if event.forgotten:
                    continue  # a forgotten client's personal fields cannot be read, by design
                try:
                    to_domain(event)
                except Exception as error:  # noqa: BLE001 - reported, the check goes on
                    problems.append((stream, f"version {event.stream_version} unreadable: {error}"))
                    break
    except WrongMasterKey:
        return "MASTER_KEY is not the key these clients' data keys were wrapped by (the hash chains need no key)"
    return None


def _all_streams(store):
    import sqlalchemy as sa

    from eventstore.schema import events

    with store.reader.connect() as conn:
        yield from conn.execute(
            sa.select(events.c.stream_id).where(events.c.stream_version == 1)
        ).scalars()


@store_cli.command()
@click.argument("client_id")
@click.option("--organisation", "organisation_id", required=True, help="The client's organisation.")
@click.option(
    "--by", "actor", default="cli", show_default=True, help="Who asked, for the erasure record."
)
@click.confirmation_option(
    "--yes",
    "-y",
    prompt="Forgetting a client destroys their personal data for good. Continue?",
    help="Forget without asking (for scripts).",
)
def forget(client_id: str, organisation_id: str, actor: str) -> None:
    """Forget a client: destroy their data key and purge their personal data (the history stays, erased).

    Asks for confirmation first, unless given --yes: there is no undoing it.
    """
    from services.plans import ClientNotFound

    services = services_or_exit()
    try:
        report = services.erasure.forget(organisation_id, client_id, actor)
    except ClientNotFound as missing:
        raise click.ClickException(str(missing)) from None
    purged = ", ".join(f"{table} {count}" for table, count in report.rows_purged.items())
    state = "forgotten" if report.key_destroyed else "already forgotten"
    click.echo(
        f"client {client_id} {state} at {report.forgotten_at.isoformat()}; rows purged: {purged}"
    )


@store_cli.command()
@click.argument("client_id")
@click.option("--organisation", "organisation_id", required=True, help="The client's organisation.")
def export(client_id: str, organisation_id: str) -> None:
    """Print a client's whole history as JSON Lines (one event per line, oldest first).

    A forgotten client's history is printed too, with their personal fields erased.
    """
    from projections.queries import event_record
    from services.plans import ClientNotFound
    from services.plans.event_mapping import stream_id

    services = services_or_exit()
    owner = services.tenancy.owners.owner(client_id)
    if owner is None or owner.organisation_id != organisation_id:  # not found across organisations
        raise click.ClickException(str(ClientNotFound(f"client {client_id} was not found")))
    for event in services.store.read_stream(stream_id(client_id)):
        click.echo(json.dumps(event_record(event)))
