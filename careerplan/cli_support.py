"""What every CLI command needs: settings and services, with readable start-up errors."""

from __future__ import annotations

import click

from careerplan.settings import Settings, SettingsError, load_settings


def settings_or_exit(secrets_required: bool = True) -> Settings:
    """The environment's settings, or a one-line error naming the bad setting."""
    try:
        return load_settings(secrets_required)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def services_or_exit():
    """The wired services for this process, or a one-line error (say, a MASTER_KEY that is not this database's)."""
    from careerplan.bootstrap import bootstrap

    try:
        return bootstrap(settings_or_exit())
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
