"""Pivot rules: review the plan against a new destination, decide each frozen goal and requirement, complete or abandon.

A pivot is like the quarterly review, but against a new role or industry:
starting it freezes the open goals and active requirements and computes the
carry-over (`domain.pivots`); each frozen item then gets keep, tweak, replace
or drop, whose consequence is recorded at once as the usual goal or
requirement events; completing it makes the new destination the plan's
(DestinationRevised) and adds the proposed requirements no decision took.
While it is open the plan takes no new goal and no review.
"""

from __future__ import annotations

from datetime import datetime

from domain.commands import (
    AbandonPivot,
    CompletePivot,
    StartPivot,
)
from domain.errors import (
    IdAlreadyUsed,
    NotAPivot,
    PivotAlreadyOpen,
    PivotHasUndecided,
    ReviewAlreadyOpen,
    TooManyRequirements,
)
from domain.events import (
    DestinationRevised,
    PivotAbandoned,
    PivotCompleted,
    PivotStarted,
    RequirementAdded,
)
from domain.pivot import ABANDONED, COMPLETED, Pivot
from domain.pivots import CarryOver, ProposedRequirement, carry_over
from domain.requirement import MAX_REQUIREMENTS
from domain.rules.base import applies
from domain.rules.pivot_decisions import PivotDecisionRules
from domain.rules.requirements import check_requirement_kind
from domain.text import require_text
from domain.values import Destination


class PivotRules(PivotDecisionRules):
    """Starting a pivot, completing or abandoning it (its decisions: `domain.rules.pivot_decisions`)."""

    def start_pivot(self, command: StartPivot, now: datetime) -> None:
        """Open a pivot review toward a new destination whose role or industry differs from the current one."""
        self._check_enrolled()
        self._check_destination_set("pivoting from it")
        new = Destination(
            **{
                n: getattr(command, n)
                for n in ("statement", "role", "industry", "impact", "horizon")
            }
        )
        self._start_pivot(command.pivot_id, new, command.requirements, now)

    def _start_pivot(
        self,
        pivot_id: str,
        destination: Destination,
        proposed: tuple[ProposedRequirement, ...],
        now: datetime,
    ) -> None:
        pivot_id = require_text(pivot_id, "the pivot id")
        if pivot_id in self.pivots:
            raise IdAlreadyUsed(f"pivot id {pivot_id} is already used in this plan")
        if self.open_pivot_id is not None:
            open_pivot = self.pivots[self.open_pivot_id]
            raise PivotAlreadyOpen(
                f"pivot {open_pivot.pivot_id} to {open_pivot.new.role}, started "
                f"{open_pivot.started_at.date()}, is still open: complete or abandon it first"
            )
        if self.open_review_id is not None:
            raise ReviewAlreadyOpen(
                f"review {self.open_review_id} is still open: complete it before starting a pivot"
            )
        old = self.destination
        new = self._checked_destination(destination, now, check_horizon=True)
        if (new.role, new.industry) == (old.role, old.industry):
            raise NotAPivot(
                f"a pivot moves to a new role or industry, and {new.role} ({new.industry}) is the "
                "current one: revise the destination instead"
            )
        proposed = self._checked_proposal(proposed)
        requirements = self.active_requirements
        goals = {
            goal.goal_id: [c.requirement_id for c in goal.terms.serves]
            for goal in self.goals.values()
            if goal.is_open
        }
        found = carry_over(requirements, goals, proposed)
        self._record(
            PivotStarted(
                occurred_at=now,
                pivot_id=pivot_id,
                old=old,
                new=new,
                goal_ids=tuple(goals),
                requirement_ids=tuple(r.requirement_id for r in requirements),
                proposed=proposed,
                carried=found.carried,
                stranded_goal_ids=found.stranded_goal_ids,
                uncovered_requirement_ids=found.uncovered_requirement_ids,
            )
        )

    def _checked_proposal(
        self, proposed: tuple[ProposedRequirement, ...]
    ) -> tuple[ProposedRequirement, ...]:
        if len(proposed) > MAX_REQUIREMENTS:
            raise TooManyRequirements(
                f"a destination carries at most {MAX_REQUIREMENTS} requirements; this one lists {len(proposed)}"
            )
        checked, seen = [], set()
        for item in proposed:
            requirement_id = require_text(item.requirement_id, "the requirement id")
            if requirement_id in self.requirements or requirement_id in seen:
                raise IdAlreadyUsed(f"requirement id {requirement_id} is already used in this plan")
            seen.add(requirement_id)
            checked.append(
                ProposedRequirement(
                    requirement_id,
                    check_requirement_kind(item.kind),
                    require_text(item.description, "the requirement description"),
                )
            )
        return tuple(checked)

    def complete_pivot(self, command: CompletePivot, now: datetime) -> None:
        """Make the new destination the plan's once every frozen goal and requirement is decided."""
        pivot = self._open_pivot(command.pivot_id)
        undecided = [self.goals[g].label for g in pivot.undecided_goals] + [
            self.requirements[r].label for r in pivot.undecided_requirements
        ]
        if undecided:
            raise PivotHasUndecided(
                f"pivot {pivot.pivot_id} still needs a decision (keep, tweak, replace or drop) for: "
                + ", ".join(undecided)
            )
        adding = [p for p in pivot.proposed if self._still_proposed(pivot, p)]
        total = len(self.active_requirements) + len(adding)
        if total > MAX_REQUIREMENTS:
            raise TooManyRequirements(
                f"the new destination would carry {total} requirements, more than {MAX_REQUIREMENTS}: "
                "abandon the pivot and start it again with fewer, or drop more current requirements"
            )
        new = self._checked_destination(pivot.new, now, check_horizon=True)
        self._record(DestinationRevised(occurred_at=now, old=self.destination, new=new))
        for proposal in adding:
            self._record(RequirementAdded(occurred_at=now, **vars(proposal)))
        summary = (command.summary or "").strip()
        self._record(PivotCompleted(occurred_at=now, pivot_id=pivot.pivot_id, summary=summary))

    def abandon_pivot(self, command: AbandonPivot, now: datetime) -> None:
        """Call the pivot off: the destination stays the old one, and new goals may be set again."""
        pivot = self._open_pivot(command.pivot_id)
        reason = (command.reason or "").strip()
        self._record(PivotAbandoned(occurred_at=now, pivot_id=pivot.pivot_id, reason=reason))

    @applies(PivotStarted)
    def _pivot_started(self, event: PivotStarted) -> None:
        self.pivots[event.pivot_id] = Pivot(
            pivot_id=event.pivot_id,
            old=event.old,
            new=event.new,
            goal_ids=event.goal_ids,
            requirement_ids=event.requirement_ids,
            proposed=event.proposed,
            carry_over=CarryOver(
                event.carried, event.stranded_goal_ids, event.uncovered_requirement_ids
            ),
            started_at=event.occurred_at,
        )
        self.open_pivot_id = event.pivot_id

    @applies(PivotCompleted)
    def _pivot_completed(self, event: PivotCompleted) -> None:
        self._close_pivot(event.pivot_id, COMPLETED, event.occurred_at, event.summary)

    @applies(PivotAbandoned)
    def _pivot_abandoned(self, event: PivotAbandoned) -> None:
        self._close_pivot(event.pivot_id, ABANDONED, event.occurred_at, event.reason)

    def _close_pivot(self, pivot_id: str, status: str, at: datetime, note: str) -> None:
        pivot = self.pivots[pivot_id]
        pivot.status, pivot.closed_at, pivot.close_note = status, at, note
        self.open_pivot_id = None
