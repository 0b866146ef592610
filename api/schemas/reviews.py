"""Quarterly reviews in: start, one decision per frozen goal, complete."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import InputSchema, new_id, note
from api.schemas.goals import GoalPatchSchema, NewGoalSchema
from domain.values import REVIEW_DECISIONS


class StartReviewSchema(InputSchema):
    review_id = new_id("review")


class ReviewDecisionSchema(InputSchema):
    """keep; tweak (with `refinement`); replace (with `replacement`); achieved; dropped (with a `note`)."""

    goal_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(REVIEW_DECISIONS))
    note = note("The coach's note on the decision")
    refinement = fields.Nested(GoalPatchSchema, load_default=None, allow_none=True)
    replacement = fields.Nested(NewGoalSchema, load_default=None, allow_none=True)


class CompleteReviewSchema(InputSchema):
    summary = note("Summary of the review")
