"""Requirement rules: what someone in the destination role has, 5–10 of them, 11 refused."""

from __future__ import annotations

from datetime import datetime

from domain.commands import AddRequirement, RetireRequirement, ReviseRequirement
from domain.errors import (
    IdAlreadyUsed,
    NothingChanged,
    RequirementNotActive,
    TooManyRequirements,
    UnknownRequirementKind,
)
from domain.events import RequirementAdded, RequirementRetired, RequirementRevised
from domain.requirement import MAX_REQUIREMENTS, Requirement
from domain.rules.base import PlanRules, applies
from domain.text import quoted, require_text
from domain.values import REQUIREMENT_KINDS


def check_requirement_kind(kind: str) -> str:
    """Refuse a kind other than skill, experience, achievement, relationship or credential."""
    if kind not in REQUIREMENT_KINDS:
        raise UnknownRequirementKind(
            f"a requirement is one of {', '.join(REQUIREMENT_KINDS)}; got {kind!r}"
        )
    return kind


class RequirementRules(PlanRules):
    """Adding, revising and retiring the destination's requirements."""

    def add_requirement(self, command: AddRequirement, now: datetime) -> None:
        """Add a requirement to the destination, refusing an 11th active one."""
        self._check_enrolled()
        self._check_destination_set("listing what the role requires")
        requirement_id = require_text(command.requirement_id, "the requirement id")
        if requirement_id in self.requirements:
            raise IdAlreadyUsed(f"requirement id {requirement_id} is already used in this plan")
        kind = check_requirement_kind(command.kind)
        description = require_text(command.description, "the requirement description")
        if len(self.active_requirements) >= MAX_REQUIREMENTS:
            raise TooManyRequirements(
                f"the destination already has {MAX_REQUIREMENTS} active requirements, the most a plan "
                f"carries; retire one before adding {quoted(description)}"
            )
        self._record(
            RequirementAdded(
                occurred_at=now,
                requirement_id=requirement_id,
                kind=kind,
                description=description,
            )
        )

    def revise_requirement(self, command: ReviseRequirement, now: datetime) -> None:
        """Reword or reclassify an active requirement; the event keeps old and new values."""
        requirement = self._active_requirement(command.requirement_id, "revise")
        kind = requirement.kind if command.kind is None else check_requirement_kind(command.kind)
        description = (
            requirement.description
            if command.description is None
            else require_text(command.description, "the requirement description")
        )
        if (kind, description) == (requirement.kind, requirement.description):
            raise NothingChanged(f"the revision changes nothing in requirement {requirement.label}")
        self._record(
            RequirementRevised(
                occurred_at=now,
                requirement_id=requirement.requirement_id,
                old_kind=requirement.kind,
                new_kind=kind,
                old_description=requirement.description,
                new_description=description,
            )
        )

    def retire_requirement(self, command: RetireRequirement, now: datetime) -> None:
        """Retire an active requirement; goals serving it keep the link for re-alignment to flag."""
        requirement = self._active_requirement(command.requirement_id, "retire")
        self._record(
            RequirementRetired(
                occurred_at=now,
                requirement_id=requirement.requirement_id,
                reason=(command.reason or "").strip(),
            )
        )

    def _active_requirement(self, requirement_id: str, doing: str) -> Requirement:
        requirement = self._requirement(requirement_id)
        if not requirement.is_active:
            raise RequirementNotActive(
                f"cannot {doing} requirement {requirement.label}: it was retired"
            )
        self._check_requirement_not_in_pivot(requirement)
        return requirement

    @applies(RequirementAdded)
    def _requirement_added(self, event: RequirementAdded) -> None:
        self.requirements[event.requirement_id] = Requirement(
            requirement_id=event.requirement_id,
            kind=event.kind,
            description=event.description,
            added_at=event.occurred_at,
        )

    @applies(RequirementRevised)
    def _requirement_revised(self, event: RequirementRevised) -> None:
        requirement = self.requirements[event.requirement_id]
        requirement.kind = event.new_kind
        requirement.description = event.new_description

    @applies(RequirementRetired)
    def _requirement_retired(self, event: RequirementRetired) -> None:
        requirement = self.requirements[event.requirement_id]
        requirement.retired_at = event.occurred_at
        requirement.retire_reason = event.reason
