"""Events of enrolment, the destination and its requirements: who the client is and where they are going."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events.base import Event
from domain.values import Destination


@dataclass(frozen=True, kw_only=True)
class ClientEnrolled(Event):
    """A coaching firm took the client on: their plan starts here."""

    personal: ClassVar[tuple[str, ...]] = ("display_name",)

    client_id: str
    organisation_id: str
    coach_id: str
    display_name: str
    timezone: str
    review_cadence_months: int


@dataclass(frozen=True, kw_only=True)
class CoachReassigned(Event):
    """The client moved to another coach of the same organisation."""

    old_coach_id: str
    new_coach_id: str


@dataclass(frozen=True, kw_only=True)
class DestinationSet(Event):
    """The client's long-term career goal was stated for the first time."""

    personal: ClassVar[tuple[str, ...]] = ("destination",)

    destination: Destination


@dataclass(frozen=True, kw_only=True)
class DestinationRevised(Event):
    """The long-term career goal changed; both versions are kept."""

    personal: ClassVar[tuple[str, ...]] = ("old", "new")

    old: Destination
    new: Destination


@dataclass(frozen=True, kw_only=True)
class RequirementAdded(Event):
    """A skill, experience, achievement, relationship or credential the destination role needs."""

    personal: ClassVar[tuple[str, ...]] = ("description",)

    requirement_id: str
    kind: str
    description: str


@dataclass(frozen=True, kw_only=True)
class RequirementRevised(Event):
    """A requirement was reworded or reclassified; old and new values are kept."""

    personal: ClassVar[tuple[str, ...]] = ("old_description", "new_description")

    requirement_id: str
    old_kind: str
    new_kind: str
    old_description: str
    new_description: str


@dataclass(frozen=True, kw_only=True)
class RequirementRetired(Event):
    """A requirement no longer describes the destination role; goals may still name it."""

    personal: ClassVar[tuple[str, ...]] = ("reason",)

    requirement_id: str
    reason: str
