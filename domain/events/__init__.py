"""Every event of a career plan, the registry by type name, and their JSON-safe data form.

`EVENT_TYPES` maps a type name (the class name) to its class; the store
saves `type(event).__name__`, `event.schema_version` and `event_to_data(event)`,
and rebuilds the event with `event_from_data` after upcasting old versions.
"""

from __future__ import annotations

from typing import Any

from domain.events.alignment import AlignmentChecked
from domain.events.base import Event
from domain.events.clients import ClientArchived, ClientDetailsChanged, ClientReactivated
from domain.events.codec import from_data, to_data
from domain.events.enrolment import (
    ClientEnrolled,
    CoachReassigned,
    DestinationRevised,
    DestinationSet,
    RequirementAdded,
    RequirementRetired,
    RequirementRevised,
)
from domain.events.goals import (
    GoalAchieved,
    GoalDropped,
    GoalPaused,
    GoalRefined,
    GoalReopened,
    GoalReplaced,
    GoalResumed,
    GoalSet,
)
from domain.events.nudges import NudgeDue
from domain.events.pivots import (
    PivotAbandoned,
    PivotCompleted,
    PivotDecisionRecorded,
    PivotStarted,
)
from domain.events.progress import (
    CheckInRecorded,
    MilestoneAdded,
    MilestoneCompleted,
    MilestoneRemoved,
    MilestoneReopened,
)
from domain.events.reviews import ReviewCompleted, ReviewDecisionRecorded, ReviewStarted
from domain.events.templates import TemplateApplied

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        ClientEnrolled,
        CoachReassigned,
        ClientDetailsChanged,
        ClientArchived,
        ClientReactivated,
        DestinationSet,
        DestinationRevised,
        RequirementAdded,
        RequirementRevised,
        RequirementRetired,
        GoalSet,
        GoalRefined,
        GoalPaused,
        GoalResumed,
        GoalAchieved,
        GoalDropped,
        GoalReplaced,
        GoalReopened,
        MilestoneAdded,
        MilestoneCompleted,
        MilestoneReopened,
        MilestoneRemoved,
        CheckInRecorded,
        ReviewStarted,
        ReviewDecisionRecorded,
        ReviewCompleted,
        PivotStarted,
        PivotDecisionRecorded,
        PivotCompleted,
        PivotAbandoned,
        AlignmentChecked,
        NudgeDue,
        TemplateApplied,
    )
}


def event_to_data(event: Event) -> dict[str, Any]:
    """The event's fields as JSON-safe data at its current schema version (no type name inside)."""
    return to_data(event)


def event_from_data(type_name: str, data: dict[str, Any]) -> Event:
    """The event of type `type_name` from data at the current schema version.

    Raises KeyError for an unknown type and ValueError for fields the type lacks.
    """
    return from_data(EVENT_TYPES[type_name], data)


__all__ = ["EVENT_TYPES", "Event", "event_from_data", "event_to_data", *EVENT_TYPES]
