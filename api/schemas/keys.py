"""API keys and the caller's own identity."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.pagination import page_query, page_schema
from api.positions import moment_and_id
from api.schemas.common import InputSchema, instant
from services.access.api_keys import ROLES


class NewKeySchema(InputSchema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    coach_id = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Required for a coach key; none for the other roles"},
    )


class ApiKeySchema(Schema):
    key_id = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "First characters of the key"})
    role = fields.String(required=True)
    coach_id = fields.String(allow_none=True)
    created_at = instant(required=True)
    last_used_at = instant(allow_none=True, metadata={"description": "To the minute"})
    revoked_at = instant(allow_none=True)


class IssuedKeySchema(ApiKeySchema):
    key = fields.String(
        required=True, metadata={"description": "The key itself: shown this once only"}
    )


KeyPageQuerySchema = page_query("KeyPageQuerySchema", position=moment_and_id)
ApiKeyListSchema = page_schema(
    "ApiKeyListSchema", ApiKeySchema, "Working keys, newest first (ties by id)"
)


class CallerSchema(Schema):
    organisation_id = fields.String(required=True)
    organisation_name = fields.String(required=True)
    key_id = fields.String(required=True)
    role = fields.String(required=True)
    coach_id = fields.String(allow_none=True)
