"""Clients: enrolment, reassignment and the cursor-paginated list."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from marshmallow import Schema, ValidationError, fields, post_load, validate

from api.schemas.common import SHORT_TEXT, CommandSchema, InputSchema, new_id


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


CURSOR = validate.Regexp(r"^([0-9a-f]{2}){1,200}$", error="not a cursor this API returned")


def encode_cursor(client_id: str | None) -> str | None:
    """An opaque cursor for the page after `client_id` (hex, so it needs no escaping in a URL)."""
    return client_id.encode().hex() if client_id else None


class ClientListQuerySchema(InputSchema):
    """Unknown query parameters are refused (a misspelt `limit` is a 422, not silently ignored)."""

    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(
        load_default=None,
        validate=CURSOR,
        metadata={"description": "`next_cursor` of the previous page"},
    )
    coach_id = fields.String(
        load_default=None, metadata={"description": "Only this coach's clients"}
    )

    @post_load
    def read_cursor(self, data, **_):
        cursor = data.pop("cursor")
        data["after"] = bytes.fromhex(cursor).decode(errors="replace") if cursor else None
        if data["after"] is not None and "\x00" in data["after"]:
            raise ValidationError("not a cursor this API returned", "cursor")
        return data


class ClientSummarySchema(Schema):
    client_id = fields.String(required=True)
    coach_id = fields.String(required=True)
    display_name = fields.String(required=True)
    version = fields.Integer(required=True)


class ClientPageSchema(Schema):
    items = fields.List(fields.Nested(ClientSummarySchema), required=True)
    next_cursor = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last"},
    )
