"""Pivot decisions: keep, tweak, replace or drop for each goal and requirement a pivot froze.

A decision is recorded first (PivotDecisionRecorded), then its consequence
as the usual events, checked by the usual rules on the same draft plan, so
the whole decision is all or nothing. A goal is refined, replaced (its
replacement may serve a proposed requirement, which is added first) or
dropped; a requirement is kept, reworded to the proposed requirement it
`becomes`, replaced by it, or retired.
"""

from __future__ import annotations

from datetime import datetime

from domain.commands import (
    AddRequirement,
    DropGoal,
    RecordPivotDecision,
    RefineGoal,
    ReplaceGoal,
    RetireRequirement,
    ReviseRequirement,
)
from domain.errors import (
    AlreadyDecidedInPivot,
    DecisionDetailsMismatch,
    NotInPivot,
    PivotDecisionSubject,
    PivotNotFound,
    PivotNotOpen,
    ProposedRequirementTaken,
    UnknownPivotDecision,
)
from domain.events import PivotDecisionRecorded
from domain.pivot import Pivot, PivotDecision
from domain.pivots import ProposedRequirement
from domain.rules.base import PlanRules, applies
from domain.values import PIVOT_DECISIONS

# What each goal decision needs besides the decision: "refinement", "replacement", "note" or nothing.
_GOAL_NEEDS = {"keep": None, "tweak": "refinement", "replace": "replacement", "drop": "note"}


class PivotDecisionRules(PlanRules):
    """Deciding the frozen goals and requirements of the open pivot."""

    def record_pivot_decision(self, command: RecordPivotDecision, now: datetime) -> None:
        """Decide one frozen goal or requirement, then record the decision's consequence."""
        pivot = self._open_pivot(command.pivot_id)
        if command.decision not in PIVOT_DECISIONS:
            raise UnknownPivotDecision(
                f"a pivot decides one of {', '.join(PIVOT_DECISIONS)}; got {command.decision!r}"
            )
        if (command.goal_id is None) == (command.requirement_id is None):
            raise PivotDecisionSubject(
                "a pivot decision names one goal (goal_id) or one requirement (requirement_id)"
            )
        if command.goal_id is not None:
            self._decide_goal(pivot, command, now)
        else:
            self._decide_requirement(pivot, command, now)

    def _decide_goal(self, pivot: Pivot, command: RecordPivotDecision, now: datetime) -> None:
        goal = self._goal(command.goal_id)
        if goal.goal_id not in pivot.goal_ids:
            raise NotInPivot(
                f"goal {goal.label} was not open when pivot {pivot.pivot_id} started, so it is not decided there"
            )
        if goal.goal_id in pivot.goal_decisions:
            decided = pivot.goal_decisions[goal.goal_id].decision
            raise AlreadyDecidedInPivot(
                f"pivot {pivot.pivot_id} already decided {decided!r} for goal {goal.label}"
            )
        needed = _GOAL_NEEDS[command.decision]
        for detail in ("refinement", "replacement"):
            if (getattr(command, detail) is not None) != (detail == needed):
                verb = "needs" if detail == needed else "takes no"
                raise DecisionDetailsMismatch(f"a {command.decision!r} decision {verb} {detail}")
        if command.becomes is not None:
            raise DecisionDetailsMismatch("`becomes` is for requirement decisions, not goals")
        note = (command.note or "").strip()
        if needed == "note" and not note:
            raise DecisionDetailsMismatch(
                "a 'drop' decision needs a note saying why the goal is dropped"
            )
        replacement = command.replacement.goal_id if command.decision == "replace" else None
        self._record(
            PivotDecisionRecorded(
                occurred_at=now,
                pivot_id=pivot.pivot_id,
                decision=command.decision,
                goal_id=goal.goal_id,
                note=note,
                replacement_goal_id=replacement,
            )
        )
        if command.decision == "tweak":
            self.refine_goal(RefineGoal(goal_id=goal.goal_id, changes=command.refinement), now)
        elif command.decision == "replace":
            self._add_served_proposals(pivot, command, now)
            self._replace_goal(
                ReplaceGoal(goal_id=goal.goal_id, replacement=command.replacement, reason=note), now
            )
        elif command.decision == "drop":
            self.drop_goal(DropGoal(goal_id=goal.goal_id, reason=note), now)

    def _add_served_proposals(self, pivot: Pivot, command: RecordPivotDecision, now) -> None:
        """A replacement goal may serve a proposed requirement: it is added now, ahead of completion.

        One a requirement decision took carries over as that requirement: the goal serves that one.
        """
        for contribution in command.replacement.terms.serves:
            proposal = pivot.proposal(contribution.requirement_id)
            if proposal is None or proposal.requirement_id in self.requirements:
                continue
            took = [
                r
                for r, d in pivot.requirement_decisions.items()
                if d.becomes == proposal.requirement_id
            ]
            if took:
                raise ProposedRequirementTaken(
                    f"proposed requirement {proposal.description!r} carries over as requirement "
                    f"{self.requirements[took[0]].label}: let the goal serve that one"
                )
            self.add_requirement(AddRequirement(**vars(proposal)), now)

    def _decide_requirement(self, pivot: Pivot, command: RecordPivotDecision, now) -> None:
        requirement = self._requirement(command.requirement_id)
        if requirement.requirement_id not in pivot.requirement_ids:
            raise NotInPivot(
                f"requirement {requirement.label} was not active when pivot {pivot.pivot_id} started, "
                "so it is not decided there"
            )
        if requirement.requirement_id in pivot.requirement_decisions:
            decided = pivot.requirement_decisions[requirement.requirement_id].decision
            raise AlreadyDecidedInPivot(
                f"pivot {pivot.pivot_id} already decided {decided!r} for requirement {requirement.label}"
            )
        if command.refinement is not None or command.replacement is not None:
            raise DecisionDetailsMismatch(
                "a requirement decision takes no refinement or replacement: name the proposed "
                "requirement it becomes (`becomes`)"
            )
        proposal = self._becomes(pivot, command, requirement.label)
        note = (command.note or "").strip()
        self._record(
            PivotDecisionRecorded(
                occurred_at=now,
                pivot_id=pivot.pivot_id,
                decision=command.decision,
                requirement_id=requirement.requirement_id,
                note=note,
                becomes=proposal.requirement_id if proposal else None,
            )
        )
        rid = requirement.requirement_id
        if command.decision == "tweak":
            self.revise_requirement(
                ReviseRequirement(
                    requirement_id=rid, kind=proposal.kind, description=proposal.description
                ),
                now,
            )
        elif command.decision in ("replace", "drop"):
            self.retire_requirement(RetireRequirement(requirement_id=rid, reason=note), now)
            if command.decision == "replace":
                self.add_requirement(AddRequirement(**vars(proposal)), now)

    def _becomes(
        self, pivot: Pivot, command: RecordPivotDecision, label: str
    ) -> ProposedRequirement | None:
        """The proposed requirement a requirement decision turns it into: named, else the carry-over's match."""
        if command.decision == "drop":
            if command.becomes is not None:
                raise DecisionDetailsMismatch("a 'drop' decision becomes no other requirement")
            return None
        wanted = command.becomes or pivot.match_of(command.requirement_id)
        proposal = pivot.proposal(wanted) if wanted else None
        if wanted is not None and proposal is None:
            raise NotInPivot(f"pivot {pivot.pivot_id} proposes no requirement with id {wanted}")
        if proposal is not None and not self._still_proposed(pivot, proposal):
            if command.becomes is None and command.decision == "keep":
                return None  # the match went elsewhere: the requirement is simply kept
            raise ProposedRequirementTaken(
                f"proposed requirement {proposal.description!r} was already taken by another decision "
                "of this pivot"
            )
        if proposal is None and command.decision in ("tweak", "replace"):
            raise DecisionDetailsMismatch(
                f"a {command.decision!r} of requirement {label} names the proposed requirement it "
                "becomes (`becomes`): the carry-over matched none"
            )
        return proposal

    def _still_proposed(self, pivot: Pivot, proposal: ProposedRequirement) -> bool:
        """True while a proposed requirement is neither taken by a decision nor added already."""
        pid = proposal.requirement_id
        return pid not in pivot.taken and pid not in self.requirements

    def _open_pivot(self, pivot_id: str) -> Pivot:
        self._check_enrolled()
        pivot = self.pivots.get(pivot_id)
        if pivot is None:
            raise PivotNotFound(f"this plan has no pivot with id {pivot_id}")
        if not pivot.is_open:
            raise PivotNotOpen(
                f"pivot {pivot_id} was {pivot.status} on {pivot.closed_at.date()}; start a new one"
            )
        return pivot

    @applies(PivotDecisionRecorded)
    def _pivot_decision_recorded(self, event: PivotDecisionRecorded) -> None:
        pivot = self.pivots[event.pivot_id]
        decided = pivot.goal_decisions if event.goal_id else pivot.requirement_decisions
        decided[event.goal_id or event.requirement_id] = PivotDecision(
            decision=event.decision,
            note=event.note,
            decided_at=event.occurred_at,
            replacement_goal_id=event.replacement_goal_id,
            becomes=event.becomes,
        )
