"""Quarterly reviews in: start, one decision per frozen goal, complete."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import CommandSchema, new_id, note
from api.schemas.goals import GoalPatchSchema, NewGoalSchema
from domain.values import REVIEW_DECISIONS


class StartReviewSchema(CommandSchema):
    review_id = new_id("review")


class ReviewDecisionSchema(CommandSchema):
    """keep; tweak (with `refinement`); replace (with `replacement`); achieved; dropped (with a `note`)."""

    goal_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(REVIEW_DECISIONS))
    note = note("The coach's note on the decision")
    refinement = fields.Nested(GoalPatchSchema, load_default=None, allow_none=True)
    replacement = fields.Nested(NewGoalSchema, load_default=None, allow_none=True)


class CompleteReviewSchema(CommandSchema):
    summary = note("Summary of the review")
