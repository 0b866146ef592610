"""Review rules: a review freezes the open goals, decides each one, and completes only when all are decided."""

from __future__ import annotations

from datetime import datetime

from domain.commands import (
    AchieveGoal,
    CompleteReview,
    DropGoal,
    RecordReviewDecision,
    RefineGoal,
    ReplaceGoal,
    StartReview,
)
from domain.errors import (
    DecisionDetailsMismatch,
    GoalAlreadyDecided,
    GoalNotInReview,
    IdAlreadyUsed,
    ReviewAlreadyOpen,
    ReviewHasUndecidedGoals,
    ReviewNotFound,
    ReviewNotOpen,
    UnknownReviewDecision,
)
from domain.events import ReviewCompleted, ReviewDecisionRecorded, ReviewStarted
from domain.review import Review, ReviewDecision
from domain.rules.base import PlanRules, applies
from domain.text import require_text
from domain.values import REVIEW_DECISIONS

# Which detail each decision needs: "refinement", "replacement", "note" (the drop reason) or nothing.
_NEEDS = {
    "keep": None,
    "tweak": "refinement",
    "replace": "replacement",
    "achieved": None,
    "dropped": "note",
}


class ReviewRules(PlanRules):
    """Starting a review, deciding each frozen goal, completing it."""

    def start_review(self, command: StartReview, now: datetime) -> None:
        """Start a review of the goals active or paused now; one review is open at a time."""
        self._check_enrolled()
        review_id = require_text(command.review_id, "the review id")
        if review_id in self.reviews:
            raise IdAlreadyUsed(f"review id {review_id} is already used in this plan")
        self._check_no_open_pivot("starting a review")
        if self.open_review_id is not None:
            started = self.reviews[self.open_review_id].started_at.date()
            raise ReviewAlreadyOpen(
                f"review {self.open_review_id}, started {started}, is still open: complete it first"
            )
        goal_ids = tuple(goal.goal_id for goal in self.goals.values() if goal.is_open)
        self._record(ReviewStarted(occurred_at=now, review_id=review_id, goal_ids=goal_ids))

    def record_review_decision(self, command: RecordReviewDecision, now: datetime) -> None:
        """Decide one frozen goal, then record the decision's consequence for the goal."""
        review = self._open_review(command.review_id)
        goal = self._goal(command.goal_id)
        if goal.goal_id not in review.goal_ids:
            raise GoalNotInReview(
                f"goal {goal.label} was not open when review {review.review_id} started; "
                "it belongs to the next review"
            )
        if goal.goal_id in review.decisions:
            decided = review.decisions[goal.goal_id].decision
            raise GoalAlreadyDecided(
                f"review {review.review_id} already decided {decided!r} for goal {goal.label}"
            )
        self._check_decision_details(command)
        replacement = command.replacement.goal_id if command.decision == "replace" else None
        note = (command.note or "").strip()
        self._record(
            ReviewDecisionRecorded(
                occurred_at=now,
                review_id=review.review_id,
                goal_id=goal.goal_id,
                decision=command.decision,
                note=note,
                replacement_goal_id=replacement,
            )
        )
        if command.decision == "tweak":
            self.refine_goal(RefineGoal(goal_id=goal.goal_id, changes=command.refinement), now)
        elif command.decision == "replace":
            self.replace_goal(
                ReplaceGoal(goal_id=goal.goal_id, replacement=command.replacement, reason=note), now
            )
        elif command.decision == "achieved":
            self.achieve_goal(AchieveGoal(goal_id=goal.goal_id, note=note), now)
        elif command.decision == "dropped":
            self.drop_goal(DropGoal(goal_id=goal.goal_id, reason=note), now)

    def complete_review(self, command: CompleteReview, now: datetime) -> None:
        """Close the review once every frozen goal has a decision; the next one falls due a cadence later."""
        review = self._open_review(command.review_id)
        if review.undecided:
            labels = ", ".join(self.goals[goal_id].label for goal_id in review.undecided)
            raise ReviewHasUndecidedGoals(
                f"review {review.review_id} still needs a decision (keep, tweak, replace, achieved or dropped) "
                f"for: {labels}"
            )
        self._record(
            ReviewCompleted(
                occurred_at=now, review_id=review.review_id, summary=(command.summary or "").strip()
            )
        )

    def _open_review(self, review_id: str) -> Review:
        self._check_enrolled()
        review = self.reviews.get(review_id)
        if review is None:
            raise ReviewNotFound(f"this plan has no review with id {review_id}")
        if not review.is_open:
            raise ReviewNotOpen(
                f"review {review_id} was completed on {review.completed_at.date()}; start a new one"
            )
        return review

    @staticmethod
    def _check_decision_details(command: RecordReviewDecision) -> None:
        if command.decision not in REVIEW_DECISIONS:
            raise UnknownReviewDecision(
                f"a review decides one of {', '.join(REVIEW_DECISIONS)}; got {command.decision!r}"
            )
        needed = _NEEDS[command.decision]
        for detail in ("refinement", "replacement"):
            given = getattr(command, detail) is not None
            if given != (detail == needed):
                verb = "needs" if detail == needed else "takes no"
                raise DecisionDetailsMismatch(f"a {command.decision!r} decision {verb} {detail}")
        if needed == "note" and not (command.note or "").strip():
            raise DecisionDetailsMismatch(
                "a 'dropped' decision needs a note saying why the goal is dropped"
            )

    @applies(ReviewStarted)
    def _review_started(self, event: ReviewStarted) -> None:
        self.reviews[event.review_id] = Review(
            review_id=event.review_id, goal_ids=event.goal_ids, started_at=event.occurred_at
        )
        self.open_review_id = event.review_id

    @applies(ReviewDecisionRecorded)
    def _review_decision_recorded(self, event: ReviewDecisionRecorded) -> None:
        self.reviews[event.review_id].decisions[event.goal_id] = ReviewDecision(
            decision=event.decision,
            note=event.note,
            decided_at=event.occurred_at,
            replacement_goal_id=event.replacement_goal_id,
        )

    @applies(ReviewCompleted)
    def _review_completed(self, event: ReviewCompleted) -> None:
        review = self.reviews[event.review_id]
        review.completed_at, review.summary = event.occurred_at, event.summary
        self.open_review_id = None
        self.last_review_completed_at = event.occurred_at
