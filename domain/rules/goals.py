"""Goal rules: setting a SMART goal, refining its terms, and replacing it with a better one."""

from __future__ import annotations

from datetime import datetime

from domain.commands import RefineGoal, ReplaceGoal, SetGoal
from domain.errors import IdAlreadyUsed, NothingChanged
from domain.events import GoalRefined, GoalReplaced, GoalSet
from domain.goal import REPLACED, Goal
from domain.rules.base import applies
from domain.rules.smart import SmartChecks
from domain.text import require_text
from domain.values import GoalTerms, TermsPatch

ALL_TERMS = frozenset(GoalTerms.__dataclass_fields__)


class GoalRules(SmartChecks):
    """Setting, refining and replacing goals."""

    def set_goal(self, command: SetGoal, now: datetime) -> None:
        """Set a new SMART goal serving at least one active requirement of the destination."""
        self._check_no_open_pivot("setting new goals")
        self._record(
            GoalSet(
                occurred_at=now, goal_id=command.goal_id, terms=self._new_goal_terms(command, now)
            )
        )

    def refine_goal(self, command: RefineGoal, now: datetime) -> None:
        """Tweak some SMART terms of an open goal; the event keeps the old and new value of each."""
        goal = self._goal(command.goal_id)
        self._check_open(goal, "refine")
        self._check_not_under_review(goal)
        old = goal.terms
        proposed = old.patched(command.changes)
        changed = [
            name
            for name in command.changes.fields_set()
            if getattr(proposed, name) != getattr(old, name)
        ]
        new = self._checked_terms(goal.goal_id, proposed, now, changed) if changed else old
        changed = [name for name in changed if getattr(new, name) != getattr(old, name)]
        if not changed:
            raise NothingChanged(f"the refinement changes nothing in goal {goal.label}")
        self._record(
            GoalRefined(
                occurred_at=now,
                goal_id=goal.goal_id,
                old=TermsPatch(**{name: getattr(old, name) for name in changed}),
                new=TermsPatch(**{name: getattr(new, name) for name in changed}),
            )
        )

    def replace_goal(self, command: ReplaceGoal, now: datetime) -> None:
        """Set the replacement goal and mark the open goal replaced by it: links both ways.

        While a pivot is open a goal is replaced only by a pivot decision.
        """
        self._check_no_open_pivot("replacing a goal (record a pivot decision instead)")
        self._replace_goal(command, now)

    def _replace_goal(self, command: ReplaceGoal, now: datetime) -> None:
        goal = self._goal(command.goal_id)
        self._check_open(goal, "replace")
        self._check_not_under_review(goal)
        replacement = command.replacement
        terms = self._new_goal_terms(replacement, now)
        self._record(
            GoalSet(
                occurred_at=now, goal_id=replacement.goal_id, terms=terms, replaces=goal.goal_id
            )
        )
        self._record(
            GoalReplaced(
                occurred_at=now,
                goal_id=goal.goal_id,
                replaced_by=replacement.goal_id,
                reason=(command.reason or "").strip(),
            )
        )

    def _new_goal_terms(self, command: SetGoal, now: datetime) -> GoalTerms:
        self._check_enrolled()
        self._check_destination_set("setting goals that lead to it")
        goal_id = require_text(command.goal_id, "the goal id")
        if goal_id in self.goals:
            raise IdAlreadyUsed(
                f"goal id {goal_id} is already used by goal {self.goals[goal_id].label}"
            )
        return self._checked_terms(goal_id, command.terms, now, ALL_TERMS)

    @applies(GoalSet)
    def _goal_set(self, event: GoalSet) -> None:
        self.goals[event.goal_id] = Goal(
            goal_id=event.goal_id,
            terms=event.terms,
            set_at=event.occurred_at,
            replaces=event.replaces,
        )

    @applies(GoalRefined)
    def _goal_refined(self, event: GoalRefined) -> None:
        goal = self.goals[event.goal_id]
        goal.terms = goal.terms.patched(event.new)

    @applies(GoalReplaced)
    def _goal_replaced(self, event: GoalReplaced) -> None:
        goal = self.goals[event.goal_id]
        goal.close(REPLACED, event.occurred_at, event.reason)
        goal.replaced_by = event.replaced_by
