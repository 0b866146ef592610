"""Events of the client's own record: their details changed, archived, reactivated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events.base import Event


@dataclass(frozen=True, kw_only=True)
class ClientDetailsChanged(Event):
    """The client's display name, time zone or review cadence changed; a field left None did not change."""

    personal: ClassVar[tuple[str, ...]] = ("display_name",)

    display_name: str | None = None
    timezone: str | None = None
    review_cadence_months: int | None = None


@dataclass(frozen=True, kw_only=True)
class ClientArchived(Event):
    """The firm stopped coaching the client for now: the plan is kept, readable, and takes no commands."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ClientReactivated(Event):
    """An archived client is coached again: the plan takes commands once more."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    reason: str = ""
