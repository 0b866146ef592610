"""Clients: enrolment, details, archiving, reassignment and the paginated list."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.pagination import page_query, page_schema
from api.schemas.common import NOTE_TEXT, SHORT_TEXT, CommandSchema, InputSchema, new_id


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _iana_time_zone(name: str) -> None:
    if name not in _time_zones():
        raise ValidationError("Not an IANA time zone name such as Europe/London.")


class EnrolClientSchema(CommandSchema):
    client_id = new_id("client")
    coach_id = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "The coach assigned to the client; a coach key enrols for its own coach (the default)"
        },
    )
    display_name = fields.String(required=True, validate=SHORT_TEXT)
    timezone = fields.String(
        required=True,
        validate=_iana_time_zone,
        metadata={"description": "IANA time zone, e.g. Europe/London"},
    )
    review_cadence_months = fields.Integer(
        load_default=3, strict=True, validate=validate.Range(1, 12)
    )


class ReassignCoachSchema(CommandSchema):
    coach_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class UpdateClientSchema(InputSchema):
    """The client's details to change; fields left out keep their value, at least one is needed."""

    display_name = fields.String(validate=SHORT_TEXT, metadata={"example": "Ada Lovelace"})
    timezone = fields.String(
        validate=_iana_time_zone,
        metadata={"description": "IANA time zone, e.g. Europe/London", "example": "Europe/London"},
    )
    review_cadence_months = fields.Integer(
        strict=True,
        validate=validate.Range(1, 12),
        metadata={
            "description": "Months between the client's reviews (3: quarterly)",
            "example": 3,
        },
    )

    @validates_schema
    def names_a_field(self, data, **_):
        if not data:
            raise ValidationError(
                "name at least one of display_name, timezone, review_cadence_months"
            )


class ClientStatusChangeSchema(InputSchema):
    """Archiving or reactivating a client: an optional note for the history."""

    reason = fields.String(
        load_default="",
        validate=NOTE_TEXT,
        metadata={
            "description": "Why, for the history (optional)",
            "example": "Coaching paused during parental leave",
        },
    )


ClientListQuerySchema = page_query(
    "ClientListQuerySchema",
    coach_id=fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Only this coach's clients"},
    ),
    status=fields.String(
        load_default="all",
        validate=validate.OneOf(("active", "archived", "all")),
        metadata={
            "description": "Only active or only archived clients; `all` (the default) lists both"
        },
    ),
    needs_attention=fields.Boolean(
        load_default=None,
        metadata={
            "description": "true: only the active clients the caseload ranks as needing attention "
            "today (score above 0, the caseload's default 21-day stall window); false: only the "
            "others; left out: no filter"
        },
    ),
)


class ClientSummarySchema(Schema):
    client_id = fields.String(required=True)
    coach_id = fields.String(required=True)
    display_name = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(("active", "archived")),
        metadata={"description": "active, or archived (kept and readable, refuses commands)"},
    )


ClientPageSchema = page_schema("ClientPageSchema", ClientSummarySchema, "Clients by client id")
