"""Micro-milestones and check-ins in."""

from __future__ import annotations

from marshmallow import fields

from api.schemas.common import SHORT_TEXT, CommandResultSchema, CommandSchema, new_id, note
from api.schemas.goals import CONFIDENCE


class NewMilestoneSchema(CommandSchema):
    milestone_id = new_id("milestone")
    title = fields.String(
        required=True,
        validate=SHORT_TEXT,
        metadata={"description": "A 30–60 minute step, e.g. 'Message one potential mentor'"},
    )
    estimate_minutes = fields.Integer(
        required=True,
        strict=True,
        metadata={
            "description": (
                "30–60 minutes is the norm (outside it the answer carries a warning); refused under 15 or over 120"
            )
        },
    )


class NewCheckInSchema(CommandSchema):
    """Progress on a goal. Append-only: a correction is a new check-in naming the one it `corrects`."""

    check_in_id = new_id("check-in")
    confidence = fields.Integer(required=True, strict=True, validate=CONFIDENCE)
    value = fields.Float(
        load_default=None,
        allow_none=True,
        metadata={"description": "The metric's new value (1/0 or none for done/not-done goals)"},
    )
    note = note()
    corrects = fields.UUID(
        load_default=None, metadata={"description": "The earlier check-in this corrects"}
    )


class MilestoneAddedSchema(CommandResultSchema):
    milestone_id = fields.String(required=True)
    warnings = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Advice the milestone was accepted with, e.g. outside the 30–60 minute norm (else empty)"
        },
    )
