"""What registering, signing and delivering webhooks need from the process, set once per engine."""

from __future__ import annotations

import socket
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from services.webhooks import targets as webhook_targets

DEFAULT_SECRET_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class WebhookConfig:
    """The master key (seals secrets), the allow-list, the resolver, and how long a rotated-out secret signs."""

    master_key: bytes
    allowed_hosts: Collection[str] = ()
    resolve: webhook_targets.Resolver = field(default=socket.getaddrinfo)
    secret_grace: timedelta = DEFAULT_SECRET_GRACE


_CONFIGS: weakref.WeakKeyDictionary[sa.Engine, WebhookConfig] = weakref.WeakKeyDictionary()


def configure(engine: sa.Engine, config: WebhookConfig) -> None:
    """Set how webhooks stored in `engine`'s database are sealed and checked (bootstrap does this)."""
    _CONFIGS[engine] = config


def config_of(engine: sa.Engine) -> WebhookConfig:
    """The configuration `configure` set for `engine`."""
    try:
        return _CONFIGS[engine]
    except KeyError:
        raise RuntimeError(
            "webhooks are not configured for this engine: build it with careerplan.bootstrap"
        ) from None
