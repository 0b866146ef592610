"""The client's own record: changing their details, archiving and reactivating them.

An archived plan is kept and stays readable, but takes no command except
`ReactivateClient` (`check_accepts`, run by `domain.decide` before any rule):
a coaching firm that stops working with a client for a while keeps their
history without their goals going stale in caseloads, digests and checks.
"""

from __future__ import annotations

from datetime import datetime

from domain.commands import ArchiveClient, ChangeClientDetails, Command, ReactivateClient
from domain.errors import (
    ClientIsArchived,
    ClientNotArchived,
    NothingChanged,
    OccurredBeforeLastChange,
)
from domain.events import ClientArchived, ClientDetailsChanged, ClientReactivated
from domain.rules.base import PlanRules, applies
from domain.rules.enrolment import check_review_cadence, check_timezone
from domain.text import require_text

ACTIVE, ARCHIVED = "active", "archived"


class ClientRules(PlanRules):
    """Details, archiving and reactivation of the client whose plan this is."""

    @property
    def status(self) -> str:
        """ "archived" while the client is archived, else "active"."""
        return ARCHIVED if self.archived_at is not None else ACTIVE

    def check_accepts(self, command: Command) -> None:
        """Refuse any command but reactivation while the client is archived."""
        if self.archived_at is not None and not isinstance(command, ReactivateClient):
            raise ClientIsArchived(
                f"client {self.client_id} is archived (since {self.archived_at.date()}): "
                "reactivate them before changing their plan"
            )

    def change_details(self, command: ChangeClientDetails, now: datetime) -> None:
        """Change display name, time zone or review cadence; only the fields that differ are recorded."""
        self._check_enrolled()
        asked = {
            "display_name": None
            if command.display_name is None
            else require_text(command.display_name, "the client's display name"),
            "timezone": None if command.timezone is None else check_timezone(command.timezone),
            "review_cadence_months": None
            if command.review_cadence_months is None
            else check_review_cadence(command.review_cadence_months),
        }
        changed = {
            name: value
            for name, value in asked.items()
            if value is not None and value != getattr(self, name)
        }
        if not changed:
            raise NothingChanged(
                "the client's details already read so: name a display name, time zone or "
                "review cadence that differs from the current one"
            )
        self._record(ClientDetailsChanged(occurred_at=now, **changed))

    def archive(self, command: ArchiveClient, now: datetime) -> None:
        """Archive an active client: the plan is kept and readable and refuses commands until reactivated."""
        self._check_enrolled()
        self._record(ClientArchived(occurred_at=now, reason=(command.reason or "").strip()))

    def reactivate(self, command: ReactivateClient, now: datetime) -> None:
        """Reactivate an archived client, at or after the moment they were archived."""
        self._check_enrolled()
        if self.archived_at is None:
            raise ClientNotArchived(
                f"client {self.client_id} is active: only an archived client can be reactivated"
            )
        if now < self.archived_at:
            raise OccurredBeforeLastChange(
                f"{now.isoformat(timespec='seconds')} is before the client was archived "
                f"({self.archived_at.isoformat(timespec='seconds')})"
            )
        self._record(ClientReactivated(occurred_at=now, reason=(command.reason or "").strip()))

    @applies(ClientDetailsChanged)
    def _client_details_changed(self, event: ClientDetailsChanged) -> None:
        for name in ("display_name", "timezone", "review_cadence_months"):
            if (value := getattr(event, name)) is not None:
                setattr(self, name, value)

    @applies(ClientArchived)
    def _client_archived(self, event: ClientArchived) -> None:
        self.archived_at = event.occurred_at

    @applies(ClientReactivated)
    def _client_reactivated(self, event: ClientReactivated) -> None:
        self.archived_at, self.reactivated_at = None, event.occurred_at
