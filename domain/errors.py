"""Why the career plan refused a command: typed errors with a stable `code`.

The API maps the three families to HTTP once: `NotFound` to 404,
`InvalidValue` (a bad value in the command itself) to 422 and `RuleViolation`
(the command conflicts with the plan as it stands) to 409. The message is
written for a coach: it names the goal or requirement and what to do next.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command the career plan refuses; `code` is stable, `message` is for people."""

    code = "domain_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The command names something the plan does not hold."""

    code = "not_found"


class InvalidValue(DomainError):
    """A value in the command breaks a rule on its own, whatever the plan holds."""

    code = "invalid_value"


class RuleViolation(DomainError):
    """The command conflicts with the plan's current state."""

    code = "rule_violation"


# --- not found (404) --------------------------------------------------------
class ClientNotEnrolled(NotFound):
    code = "client_not_enrolled"


class RequirementNotFound(NotFound):
    code = "requirement_not_found"


class GoalNotFound(NotFound):
    code = "goal_not_found"


class MilestoneNotFound(NotFound):
    code = "milestone_not_found"


class CheckInNotFound(NotFound):
    code = "check_in_not_found"


class ReviewNotFound(NotFound):
    code = "review_not_found"


class PivotNotFound(NotFound):
    code = "pivot_not_found"


# --- invalid values (422) ---------------------------------------------------
class BlankText(InvalidValue):
    code = "blank_text"


class InvalidTimezone(InvalidValue):
    code = "invalid_timezone"


class InvalidReviewCadence(InvalidValue):
    code = "invalid_review_cadence"


class StatementSentenceCount(InvalidValue):
    code = "statement_sentence_count"


class HorizonNotInFuture(InvalidValue):
    code = "horizon_not_in_future"


class UnknownRequirementKind(InvalidValue):
    code = "unknown_requirement_kind"


class UnknownGoalCategory(InvalidValue):
    code = "unknown_goal_category"


class InvalidMeasure(InvalidValue):
    code = "invalid_measure"


class TargetEqualsBaseline(InvalidValue):
    code = "target_equals_baseline"


class ConfidenceOutOfRange(InvalidValue):
    code = "confidence_out_of_range"


class GoalServesNothing(InvalidValue):
    code = "goal_serves_nothing"


class DuplicateReference(InvalidValue):
    code = "duplicate_reference"


class DueNotAfterStart(InvalidValue):
    code = "due_not_after_start"


class DueBeyondTwoYears(InvalidValue):
    code = "due_beyond_two_years"


class DueInPast(InvalidValue):
    code = "due_in_past"


class StartTooEarly(InvalidValue):
    code = "start_too_early"


class MilestoneEstimateOutOfRange(InvalidValue):
    code = "milestone_estimate_out_of_range"


class NaiveDatetime(InvalidValue):
    code = "naive_datetime"


class OccurredInFuture(InvalidValue):
    code = "occurred_in_future"


class OccurredBeforeEnrolment(InvalidValue):
    code = "occurred_before_enrolment"


class OccurredBeforeGoal(InvalidValue):
    code = "occurred_before_goal"


class OccurredBeforeMilestone(InvalidValue):
    code = "occurred_before_milestone"


class OccurredBeforeReview(InvalidValue):
    code = "occurred_before_review"


class OccurredBeforePivot(InvalidValue):
    code = "occurred_before_pivot"


class OccurredBeforeLastChange(InvalidValue):
    code = "occurred_before_last_change"


class CheckInValueRequired(InvalidValue):
    code = "check_in_value_required"


class CheckInValueInvalid(InvalidValue):
    code = "check_in_value_invalid"


class UnknownReviewDecision(InvalidValue):
    code = "unknown_review_decision"


class DecisionDetailsMismatch(InvalidValue):
    code = "decision_details_mismatch"


class UnknownPivotDecision(InvalidValue):
    code = "unknown_pivot_decision"


class PivotDecisionSubject(InvalidValue):
    """A pivot decision names exactly one goal or one requirement."""

    code = "pivot_decision_subject"


class NotAPivot(InvalidValue):
    """A pivot changes the role or the industry; anything less is a revision of the destination."""

    code = "not_a_pivot"


class NothingChanged(InvalidValue):
    code = "nothing_changed"


class InvalidAlignmentPolicy(InvalidValue):
    code = "invalid_alignment_policy"


# --- rule violations (409) --------------------------------------------------
class AlreadyEnrolled(RuleViolation):
    code = "already_enrolled"


class ClientIsArchived(RuleViolation):
    """The client is archived: their plan takes no command but reactivation."""

    code = "client_archived"


class ClientNotArchived(RuleViolation):
    code = "client_not_archived"


class IdAlreadyUsed(RuleViolation):
    code = "id_already_used"


class DestinationAlreadySet(RuleViolation):
    code = "destination_already_set"


class DestinationNotSet(RuleViolation):
    code = "destination_not_set"


class TooManyRequirements(RuleViolation):
    code = "too_many_requirements"


class RequirementNotActive(RuleViolation):
    code = "requirement_retired"


class GoalNotActive(RuleViolation):
    code = "goal_not_active"


class GoalNotPaused(RuleViolation):
    code = "goal_not_paused"


class GoalNotClosed(RuleViolation):
    code = "goal_not_closed"


class GoalUnderReview(RuleViolation):
    code = "goal_under_review"


class ChainCycle(RuleViolation):
    code = "chain_cycle"


class FollowsDroppedGoal(RuleViolation):
    code = "follows_dropped_goal"


class MilestoneNotOpen(RuleViolation):
    code = "milestone_not_open"


class MilestoneNotCompleted(RuleViolation):
    code = "milestone_not_completed"


class ReviewAlreadyOpen(RuleViolation):
    code = "review_already_open"


class ReviewNotOpen(RuleViolation):
    code = "review_not_open"


class GoalNotInReview(RuleViolation):
    code = "goal_not_in_review"


class GoalAlreadyDecided(RuleViolation):
    code = "goal_already_decided"


class ReviewHasUndecidedGoals(RuleViolation):
    code = "review_has_undecided_goals"


class PivotAlreadyOpen(RuleViolation):
    code = "pivot_already_open"


class PivotOpen(RuleViolation):
    """A pivot is open: the plan takes no new goal (and no review) until it completes or is abandoned."""

    code = "pivot_open"


class PivotNotOpen(RuleViolation):
    code = "pivot_not_open"


class DestinationChangeIsPivot(RuleViolation):
    """A new role or industry is a pivot: start one, so the goals are reviewed against it."""

    code = "destination_change_is_a_pivot"


class GoalInPivot(RuleViolation):
    code = "goal_in_pivot"


class RequirementInPivot(RuleViolation):
    code = "requirement_in_pivot"


class NotInPivot(RuleViolation):
    code = "not_in_pivot"


class AlreadyDecidedInPivot(RuleViolation):
    code = "already_decided_in_pivot"


class ProposedRequirementTaken(RuleViolation):
    code = "proposed_requirement_taken"


class PivotHasUndecided(RuleViolation):
    code = "pivot_has_undecided"


class AlignmentCheckAlreadyRecorded(RuleViolation):
    code = "alignment_check_already_recorded"


class InvalidNudgePolicy(InvalidValue):
    code = "invalid_nudge_policy"


class InvalidTemplate(InvalidValue):
    """A programme template's body breaks one of its rules (counts, keys, durations)."""

    code = "invalid_template"


class UnknownTemplateKey(InvalidValue):
    """A template names a requirement or goal key it does not define (or defines later)."""

    code = "unknown_template_key"


class TemplateGoalWithoutRequirement(InvalidValue):
    """An accepted goal's requirement is neither accepted nor already in the plan."""

    code = "template_goal_without_requirement"
