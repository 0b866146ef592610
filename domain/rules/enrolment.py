"""Enrolment rules: a client joins an organisation with a coach, a time zone and a review cadence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.commands import EnrolClient, ReassignCoach
from domain.errors import AlreadyEnrolled, InvalidReviewCadence, InvalidTimezone, NothingChanged
from domain.events import ClientEnrolled, CoachReassigned
from domain.rules.base import PlanRules, applies
from domain.text import require_text

MAX_REVIEW_CADENCE_MONTHS = 12


def check_timezone(name: str) -> str:
    """Refuse a time zone that is not an IANA name such as "Europe/London"."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidTimezone(
            f"{name!r} is not an IANA time zone name such as 'Europe/London'"
        ) from None
    return name


def check_review_cadence(months: int) -> int:
    """Refuse a review cadence that is not a whole number of months from 1 to 12."""
    if (
        isinstance(months, bool)
        or not isinstance(months, int)
        or not 1 <= months <= MAX_REVIEW_CADENCE_MONTHS
    ):
        raise InvalidReviewCadence(
            f"reviews happen every 1 to {MAX_REVIEW_CADENCE_MONTHS} months (3 is usual), got {months!r}"
        )
    return months


class EnrolmentRules(PlanRules):
    """Enrolling a client and reassigning their coach."""

    def enrol(self, command: EnrolClient, now: datetime) -> None:
        """Start the plan: one enrolment per client, with a valid time zone and cadence."""
        if self.client_id is not None:
            raise AlreadyEnrolled(
                f"client {self.client_id} is already enrolled; reassign the coach instead"
            )
        self._record(
            ClientEnrolled(
                occurred_at=now,
                client_id=require_text(command.client_id, "the client id"),
                organisation_id=require_text(command.organisation_id, "the organisation id"),
                coach_id=require_text(command.coach_id, "the coach id"),
                display_name=require_text(command.display_name, "the client's display name"),
                timezone=check_timezone(command.timezone),
                review_cadence_months=check_review_cadence(command.review_cadence_months),
            )
        )

    def reassign_coach(self, command: ReassignCoach, now: datetime) -> None:
        """Hand the client to another coach; reassigning to the current coach changes nothing."""
        self._check_enrolled()
        coach_id = require_text(command.coach_id, "the coach id")
        if coach_id == self.coach_id:
            raise NothingChanged(f"coach {coach_id} already coaches this client")
        self._record(
            CoachReassigned(occurred_at=now, old_coach_id=self.coach_id, new_coach_id=coach_id)
        )

    @applies(ClientEnrolled)
    def _client_enrolled(self, event: ClientEnrolled) -> None:
        self.client_id = event.client_id
        self.organisation_id = event.organisation_id
        self.coach_id = event.coach_id
        self.display_name = event.display_name
        self.timezone = event.timezone
        self.review_cadence_months = event.review_cadence_months
        self.enrolled_at = event.occurred_at

    @applies(CoachReassigned)
    def _coach_reassigned(self, event: CoachReassigned) -> None:
        self.coach_id = event.new_coach_id
