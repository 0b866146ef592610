"""Webhook endpoints, their delivery log and its attempts: what admins send and read."""

from __future__ import annotations

from datetime import datetime

from marshmallow import Schema, fields, validate

from api.pagination import NOT_A_CURSOR, page_query, page_schema, text_pair
from api.schemas.common import InputSchema, instant
from services.webhooks.notices import EVENT_TYPES, TEST_EVENT

EXAMPLE_URL = "https://hooks.example.com/careerplan"
EVENTS_DESCRIPTION = (
    "The notices this endpoint receives: "
    + ", ".join(f"`{e}`" for e in EVENT_TYPES)
    + f". Every one unless chosen. (`{TEST_EVENT}` is sent on request only.)"
)


def _url(**kwargs) -> fields.Url:
    return fields.Url(
        schemes={"https"},
        validate=validate.Length(max=2000),
        metadata={
            "description": "HTTPS to a public address (checked again at every delivery)",
            "example": EXAMPLE_URL,
        },
        **kwargs,
    )


def _events(**kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        validate=validate.Length(min=1),
        metadata={"description": EVENTS_DESCRIPTION, "example": ["goal.achieved", "digest.ready"]},
        **kwargs,
    )


class WebhookInSchema(InputSchema):
    url = _url(required=True)
    events = _events(load_default=lambda: list(EVENT_TYPES))


class WebhookPatchSchema(InputSchema):
    """Change what is given; an empty object changes nothing."""

    url = _url()
    events = _events()
    enabled = fields.Boolean(
        metadata={
            "description": "false: no new deliveries (events the service learns meanwhile are "
            "not sent later), and queued ones are cancelled when their turn comes; true: "
            "deliveries resume",
            "example": False,
        }
    )


class WebhookSchema(Schema):
    endpoint_id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    enabled = fields.Boolean(required=True)
    created_at = instant(required=True)
    disabled_at = instant(required=True, allow_none=True)
    previous_secret_expires_at = instant(
        required=True,
        allow_none=True,
        metadata={
            "description": "After a rotation: until then deliveries are signed with the old secret "
            "too (two signatures in `webhook-signature`); null otherwise"
        },
    )


class RegisteredWebhookSchema(WebhookSchema):
    secret = fields.String(
        required=True,
        metadata={
            "description": "The signing secret (`whsec_<base64>`, Standard Webhooks): shown this once only"
        },
    )


class DeliverySchema(Schema):
    delivery_id = fields.String(
        required=True, metadata={"description": "Sent as `webhook-id`: the same on every retry"}
    )
    endpoint_id = fields.String(required=True)
    event_type = fields.String(required=True, metadata={"example": "goal.achieved"})
    status = fields.String(
        required=True,
        validate=validate.OneOf(["pending", "delivered", "cancelled"]),
        metadata={
            "description": "pending (queued or being retried), delivered (answered 2xx), or "
            "cancelled (the endpoint was disabled or deleted before it went out)"
        },
    )
    attempts = fields.Integer(required=True)
    created_at = instant(required=True)
    delivered_at = instant(required=True, allow_none=True)


class AttemptSchema(Schema):
    attempt = fields.Integer(required=True)
    attempted_at = instant(required=True)
    status_code = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: no answer"}
    )
    error = fields.String(
        required=True, allow_none=True, metadata={"description": "Why it failed; null on success"}
    )


class DeliveryDetailSchema(DeliverySchema):
    payload = fields.Dict(
        required=True,
        metadata={
            "description": "The `data` of the body sent (free-form: its fields depend on "
            "`event_type`, as the webhooks section of the documentation lists)"
        },
    )
    attempt_log = fields.List(fields.Nested(AttemptSchema), required=True)


def delivery_position(position) -> tuple[str, str]:
    """A delivery log position: `[created_at, delivery_id]` with a readable time."""
    created_at, delivery_id = text_pair(position)
    try:
        datetime.fromisoformat(created_at)
    except ValueError:
        raise ValueError(NOT_A_CURSOR) from None
    return created_at, delivery_id


WebhookListQuerySchema = page_query("WebhookListQuery")
WebhookPageSchema = page_schema("WebhookPage", WebhookSchema)
DeliveryListQuerySchema = page_query("WebhookDeliveryListQuery", position=delivery_position)
DeliveryPageSchema = page_schema(
    "WebhookDeliveryPage", DeliverySchema, "Deliveries to the endpoint, newest first"
)
