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
    AddRequirement,
    CompletePivot,
    DropGoal,
    RecordPivotDecision,
    RefineGoal,
    ReplaceGoal,
    RetireRequirement,
    ReviseRequirement,
    StartPivot,
)
from domain.errors import (
    AlreadyDecidedInPivot,
    DecisionDetailsMismatch,
    IdAlreadyUsed,
    NotAPivot,
    NotInPivot,
    PivotAlreadyOpen,
    PivotDecisionSubject,
    PivotHasUndecided,
    PivotNotFound,
    PivotNotOpen,
    ProposedRequirementTaken,
    ReviewAlreadyOpen,
    TooManyRequirements,
    UnknownPivotDecision,
)
from domain.events import (
    DestinationRevised,
    PivotAbandoned,
    PivotCompleted,
    PivotDecisionRecorded,
    PivotStarted,
    RequirementAdded,
)
from domain.pivot import ABANDONED, COMPLETED, Pivot, PivotDecision
from domain.pivots import CarryOver, ProposedRequirement, carry_over
from domain.requirement import MAX_REQUIREMENTS
from domain.rules.base import PlanRules, applies
from domain.rules.requirements import check_requirement_kind
from domain.text import require_text
from domain.values import PIVOT_DECISIONS, Destination

# What each goal decision needs besides the decision: "refinement", "replacement", "note" or nothing.
_GOAL_NEEDS = {"keep": None, "tweak": "refinement", "replace": "replacement", "drop": "note"}


class PivotRules(PlanRules):
    """Starting a pivot, deciding its frozen goals and requirements, completing or abandoning it."""

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
        """A replacement goal may serve a proposed requirement: it is added now, ahead of completion."""
        for contribution in command.replacement.terms.serves:
            proposal = pivot.proposal(contribution.requirement_id)
            if proposal is not None and self._still_proposed(pivot, proposal):
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
