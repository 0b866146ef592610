"""The destination (the long-term career goal) and the requirements of its role."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import LONG_TEXT, SHORT_TEXT, CommandSchema, calendar_date, new_id, note
from domain.values import REQUIREMENT_KINDS


class DestinationSchema(CommandSchema):
    statement = fields.String(
        required=True,
        validate=LONG_TEXT,
        metadata={"description": "1–2 sentences naming role, industry and impact"},
    )
    role = fields.String(required=True, validate=SHORT_TEXT)
    industry = fields.String(required=True, validate=SHORT_TEXT)
    impact = fields.String(required=True, validate=LONG_TEXT)
    horizon = calendar_date(
        required=True, metadata={"description": "Target date, often years away"}
    )


class DestinationPatchSchema(CommandSchema):
    """Fields left out keep their current value."""

    statement = fields.String(load_default=None, validate=LONG_TEXT)
    role = fields.String(load_default=None, validate=SHORT_TEXT)
    industry = fields.String(load_default=None, validate=SHORT_TEXT)
    impact = fields.String(load_default=None, validate=LONG_TEXT)
    horizon = calendar_date(load_default=None)


class NewRequirementSchema(CommandSchema):
    requirement_id = new_id("requirement")
    kind = fields.String(required=True, validate=validate.OneOf(REQUIREMENT_KINDS))
    description = fields.String(required=True, validate=LONG_TEXT)


class RequirementPatchSchema(CommandSchema):
    """Fields left out keep their current value."""

    kind = fields.String(load_default=None, validate=validate.OneOf(REQUIREMENT_KINDS))
    description = fields.String(load_default=None, validate=LONG_TEXT)


class RetireRequirementSchema(CommandSchema):
    reason = note("Why the requirement no longer applies")
