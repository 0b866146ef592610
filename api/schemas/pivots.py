"""Career pivots in: start toward a new destination, decide each frozen item, complete or abandon."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from api.schemas.common import LONG_TEXT, CommandSchema, InputSchema
from api.schemas.common import new_id as new_id_field
from api.schemas.common import note as note_field
from api.schemas.destination import DestinationSchema
from api.schemas.goals import GoalPatchSchema, NewGoalSchema
from domain.requirement import MAX_REQUIREMENTS
from domain.values import PIVOT_DECISIONS, REQUIREMENT_KINDS


class PivotRequirementSchema(InputSchema):
    requirement_id = new_id_field("requirement")
    kind = fields.String(required=True, validate=validate.OneOf(REQUIREMENT_KINDS))
    description = fields.String(required=True, validate=LONG_TEXT)


class StartPivotSchema(DestinationSchema):
    """The new destination (a new role or industry) and the requirements of its role (5–10 is usual)."""

    pivot_id = new_id_field("pivot")
    requirements = fields.List(
        fields.Nested(PivotRequirementSchema),
        load_default=list,
        validate=validate.Length(max=MAX_REQUIREMENTS),
        metadata={
            "description": "What someone in the new role knows, has done and is trusted with"
        },
    )


class PivotDecisionSchema(CommandSchema):
    """One of `goal_id` or `requirement_id`, and keep, tweak, replace or drop.

    For a goal: tweak takes `refinement`, replace `replacement` (it may serve a
    proposed requirement, which is then added), drop a `note`. For a
    requirement: `becomes` names the proposed requirement it turns into (the
    carry-over's match by default); tweak rewords it so, replace retires it and
    adds the proposed one, drop retires it.
    """

    goal_id = fields.UUID(load_default=None)
    requirement_id = fields.UUID(load_default=None)
    decision = fields.String(required=True, validate=validate.OneOf(PIVOT_DECISIONS))
    note = note_field("The coach's note on the decision")
    refinement = fields.Nested(GoalPatchSchema, load_default=None, allow_none=True)
    replacement = fields.Nested(NewGoalSchema, load_default=None, allow_none=True)
    becomes = fields.UUID(
        load_default=None,
        metadata={"description": "For a requirement: the proposed requirement it becomes"},
    )

    @validates_schema
    def one_subject(self, data, **_) -> None:
        if (data.get("goal_id") is None) == (data.get("requirement_id") is None):
            raise ValidationError("give exactly one of goal_id and requirement_id", "goal_id")


class CompletePivotSchema(CommandSchema):
    summary = note_field("Summary of the pivot")


class AbandonPivotSchema(CommandSchema):
    reason = note_field("Why the pivot is called off")
