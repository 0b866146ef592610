"""Coaches: the organisation's roster, as created, listed, read and updated over HTTP."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.pagination import any_text, page_query, page_schema
from api.schemas.common import SHORT_TEXT, InputSchema, instant

COACH_ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$",
    error="A coach id is 1 to 100 letters, digits and . _ @ : - (starting with a letter or digit).",
)
EMAIL = [validate.Email(), validate.Length(max=254)]


class NewCoachSchema(InputSchema):
    coach_id = fields.String(
        load_default=None,
        validate=COACH_ID,
        metadata={
            "description": "The coach's id, as clients and coach keys will name it (generated when left out)",
            "example": "coach-maria",
        },
    )
    name = fields.String(required=True, validate=SHORT_TEXT, metadata={"example": "Maria Okafor"})
    email = fields.String(
        load_default=None,
        allow_none=True,
        validate=EMAIL,
        metadata={
            "description": "Unique among the organisation's coaches; kept lower-case",
            "example": "maria@acme-coaching.example",
        },
    )


class CoachUpdateSchema(InputSchema):
    """The fields to change; those left out keep their value."""

    name = fields.String(validate=SHORT_TEXT, metadata={"example": "Maria Okafor-Hale"})
    email = fields.String(
        allow_none=True,
        validate=EMAIL,
        metadata={"description": "null removes it", "example": "maria@acme-coaching.example"},
    )
    active = fields.Boolean(
        metadata={
            "description": (
                "false deactivates the coach: their history and clients stay (reassign the clients), "
                "they take no new clients, and their keys are revoked at once (issue new ones after "
                "reactivating)"
            ),
            "example": False,
        }
    )


class CoachSchema(Schema):
    """A coach of the organisation."""

    coach_id = fields.String(required=True, metadata={"description": "What clients and keys name"})
    name = fields.String(required=True)
    email = fields.String(required=True, allow_none=True)
    active = fields.Boolean(required=True)
    created_at = instant(required=True)
    updated_at = instant(required=True)


CoachListQuerySchema = page_query(
    "CoachListQuerySchema",
    any_text,
    active=fields.Boolean(
        load_default=None,
        metadata={"description": "Only active (true) or inactive (false) coaches"},
    ),
)
CoachPageSchema = page_schema("CoachPageSchema", CoachSchema, "Coaches by id")
