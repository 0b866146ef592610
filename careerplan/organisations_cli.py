"""`careerplan organisations …` and `careerplan keys …`: tenants and their API keys, for operators.

An organisation's first admin key is made here; after that, admins can manage
keys over the API too. A key is printed once and stored only as an HMAC.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from careerplan.cli_support import services_or_exit
from domain.errors import DomainError

T = TypeVar("T")


def _tenancy():
    return services_or_exit().tenancy


def _or_exit(action: Callable[[], T]) -> T:
    """Run an action, turning a refusal (unknown key, last admin key …) into a one-line error."""
    try:
        return action()
    except DomainError as error:
        raise click.ClickException(error.message) from None


def _show_key(issued) -> None:
    key = issued.api_key
    coach = f" for coach {key.coach_id}" if key.coach_id else ""
    click.echo(f"{key.role} key {key.key_id}{coach}")
    click.echo(f"  {issued.key}")
    click.echo("  (shown once: store it now; only its HMAC is kept)")


@click.group("organisations")
def organisations_cli() -> None:
    """Organisations: the coaching firms, each a separate tenant."""


@organisations_cli.command("create")
@click.argument("name")
def create_organisation(name: str) -> None:
    """Create an organisation and its first admin key."""
    organisation, key = _or_exit(lambda: _tenancy().organisations.create(name))
    click.echo(f"organisation {organisation.organisation_id}  {organisation.name}")
    _show_key(key)


@organisations_cli.command("list")
def list_organisations() -> None:
    """List every organisation."""
    for organisation in _tenancy().organisations.list():
        click.echo(
            f"{organisation.organisation_id}  {organisation.created_at:%Y-%m-%d}  {organisation.name}"
        )


@click.group("keys")
def keys_cli() -> None:
    """API keys of an organisation: issue, list, rotate, revoke."""


organisation_option = click.option(
    "--organisation", "organisation_id", required=True, help="Organisation id."
)


@keys_cli.command("create")
@organisation_option
@click.option("--role", type=click.Choice(["admin", "coach", "auditor"]), required=True)
@click.option("--coach-id", default=None, help="The coach a coach key acts for.")
def create_key(organisation_id: str, role: str, coach_id: str | None) -> None:
    """Issue a key (the key is printed once); a coach key names an active coach (`coaches create`)."""
    tenancy = _tenancy()
    _or_exit(lambda: tenancy.organisations.get(organisation_id))
    _show_key(_or_exit(lambda: tenancy.keys.issue(organisation_id, role, coach_id)))


@keys_cli.command("list")
@organisation_option
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked keys.")
def list_keys(organisation_id: str, include_revoked: bool) -> None:
    """List keys: id, prefix, role, coach, last used."""
    for key in _tenancy().keys.list(organisation_id, include_revoked=include_revoked):
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never used"
        revoked = f"  revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else ""
        click.echo(
            f"{key.key_id}  {key.prefix}…  {key.role:<7} {key.coach_id or '-':<20} {used}{revoked}"
        )


@keys_cli.command("rotate")
@organisation_option
@click.argument("key_id")
def rotate_key(organisation_id: str, key_id: str) -> None:
    """Replace a key by a new one with the same role; the old one stops working."""
    _show_key(_or_exit(lambda: _tenancy().keys.rotate(organisation_id, key_id)))


@keys_cli.command("revoke")
@organisation_option
@click.argument("key_id")
def revoke_key(organisation_id: str, key_id: str) -> None:
    """Revoke a key at once."""
    key = _or_exit(lambda: _tenancy().keys.revoke(organisation_id, key_id))
    click.echo(f"revoked {key.key_id} ({key.prefix}…)")


@click.group("coaches")
def coaches_cli() -> None:
    """Coaches of an organisation: the people clients and coach keys belong to."""


@coaches_cli.command("create")
@organisation_option
@click.argument("name")
@click.option("--coach-id", default=None, help="The coach's id (a new UUID when left out).")
@click.option("--email", default=None, help="Unique among the organisation's coaches.")
def create_coach(organisation_id: str, name: str, coach_id: str | None, email: str | None) -> None:
    """Add an active coach to the organisation."""
    services = services_or_exit()
    _or_exit(lambda: services.tenancy.organisations.get(organisation_id))
    coach = _or_exit(lambda: services.coaches.create(organisation_id, name, email, coach_id))
    click.echo(f"coach {coach.coach_id}  {coach.name}")


@coaches_cli.command("list")
@organisation_option
def list_coaches(organisation_id: str) -> None:
    """List the organisation's coaches: id, active, name, email (the first thousand)."""
    for coach in services_or_exit().coaches.page(organisation_id, limit=1000).items:
        state = "active" if coach.active else "inactive"
        click.echo(f"{coach.coach_id}  {state:<8} {coach.name}  {coach.email or '-'}")
