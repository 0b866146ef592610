"""Destination rules: the long-term career goal in 1–2 sentences, with a horizon in the future."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from domain.commands import ReviseDestination, SetDestination
from domain.errors import (
    DestinationAlreadySet,
    DestinationChangeIsPivot,
    HorizonNotInFuture,
    InvalidValue,
    NothingChanged,
    StatementSentenceCount,
)
from domain.events import DestinationRevised, DestinationSet
from domain.rules.base import PlanRules, applies
from domain.text import require_text, sentence_count
from domain.values import Destination


def check_calendar_date(value: date, what: str) -> date:
    """Refuse anything but a calendar date (a datetime is not one)."""
    if type(value) is not date:
        raise InvalidValue(f"{what} must be a calendar date (YYYY-MM-DD), got {value!r}")
    return value


class DestinationRules(PlanRules):
    """Setting and revising the destination."""

    def set_destination(self, command: SetDestination, now: datetime) -> None:
        """State the destination once; later changes are revisions, which keep the old version."""
        self._check_enrolled()
        if self.destination is not None:
            raise DestinationAlreadySet("the destination is already set; revise it instead")
        fields = {
            name: getattr(command, name)
            for name in ("statement", "role", "industry", "impact", "horizon")
        }
        destination = self._checked_destination(Destination(**fields), now, check_horizon=True)
        self._record(DestinationSet(occurred_at=now, destination=destination))

    def revise_destination(self, command: ReviseDestination, now: datetime) -> None:
        """Change some parts of the destination; a new horizon must still lie in the future.

        A new role or industry is a career pivot: with the command's `pivot_id`
        it starts one (see `domain.rules.pivots`), and the destination changes
        when the pivot completes; without one it is refused.
        """
        self._check_enrolled()
        self._check_destination_set("revising it")
        self._check_no_open_pivot("revising the destination")
        old = self.destination
        given = {
            name: getattr(command, name)
            for name in ("statement", "role", "industry", "impact", "horizon")
            if getattr(command, name) is not None
        }
        new = self._checked_destination(
            replace(old, **given),
            now,
            check_horizon=given.get("horizon", old.horizon) != old.horizon,
        )
        if new == old:
            raise NothingChanged("the revision changes nothing in the destination")
        if (new.role, new.industry) != (old.role, old.industry):
            if command.pivot_id is None:
                raise DestinationChangeIsPivot(
                    f"a move from {old.role} ({old.industry}) to {new.role} ({new.industry}) is a career "
                    "pivot: start a pivot, so the goals and requirements are reviewed against it"
                )
            self._start_pivot(command.pivot_id, new, (), now)
            return
        self._record(DestinationRevised(occurred_at=now, old=old, new=new))

    def _checked_destination(
        self, destination: Destination, now: datetime, check_horizon: bool
    ) -> Destination:
        statement = require_text(destination.statement, "the destination statement")
        sentences = sentence_count(statement)
        if not 1 <= sentences <= 2:
            raise StatementSentenceCount(
                f"a destination is stated in 1–2 sentences naming role, industry and impact; "
                f"this one has {sentences}"
            )
        horizon = check_calendar_date(destination.horizon, "the destination horizon")
        today = self._today(now)
        if check_horizon and horizon <= today:
            raise HorizonNotInFuture(
                f"the horizon {horizon} is not after today ({today}): choose a future date"
            )
        return Destination(
            statement=statement,
            role=require_text(destination.role, "the destination role"),
            industry=require_text(destination.industry, "the destination industry"),
            impact=require_text(destination.impact, "the destination impact"),
            horizon=horizon,
        )

    @applies(DestinationSet)
    def _destination_set(self, event: DestinationSet) -> None:
        self.destination = event.destination

    @applies(DestinationRevised)
    def _destination_revised(self, event: DestinationRevised) -> None:
        self.destination = event.new
