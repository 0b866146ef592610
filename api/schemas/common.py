"""Schemas every resource shares: the answer to a command, text limits, empty bodies."""

from __future__ import annotations

from datetime import UTC, date, datetime

from marshmallow import Schema, ValidationError, fields, pre_load, validate

SHORT_TEXT = validate.Length(min=1, max=200)
LONG_TEXT = validate.Length(min=1, max=2000)
NOTE_TEXT = validate.Length(max=4000)


EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def _within_years(value: date | datetime) -> None:
    day = (
        value.date() if isinstance(value, datetime) else value
    )  # local date: no overflow near year 1
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"Give a date from {EARLIEST} to {LATEST}.")


def calendar_date(**kwargs) -> fields.Date:
    """An ISO date (YYYY-MM-DD) from 1900 to 2199: a plan's dates, never the calendar's extremes."""
    return fields.Date(validate=_within_years, **kwargs)


def moment(**kwargs) -> fields.AwareDateTime:
    """An ISO 8601 date-time with a time zone, from 1900 to 2199."""
    return fields.AwareDateTime(validate=_within_years, **kwargs)


class Instant(fields.DateTime):
    """An instant in answers, RFC 3339 with its offset: a naive value from a table is UTC.

    Views hand over ISO strings: they are read as instants too, so every answer has one form.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def instant(**kwargs) -> Instant:
    """An output date-time that always carries its offset (UTC when stored without one)."""
    return Instant(format="iso", **kwargs)


def storable(text: str) -> bool:
    """True for text every database keeps as sent: no NUL character, no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class InputSchema(Schema):
    """Base of every request schema: refuses text no database could store (a 422, not a 500)."""

    @pre_load
    def refuse_unstorable_text(self, data, **_):
        if hasattr(data, "items"):
            bad = {
                name: ["Text may not contain NUL characters or lone surrogates."]
                for name, value in data.items()
                if isinstance(value, str)
                and not storable(value)
                or isinstance(value, list)
                and any(isinstance(v, str) and not storable(v) for v in value)
            }
            if bad:
                raise ValidationError(bad)
        return data


OCCURRED_AT = (
    "When it happened in the client's life (business time, ISO 8601 with a time zone); now when left out. "
    "Back-date a fact to when it really happened, so back-filled notes count toward momentum as live ones "
    "would have. Refused (422) in the future beyond the clock skew, before the client's enrolment, or before "
    "the goal, milestone or review it refers to existed. The service also keeps when it learnt the fact "
    "(each event's recorded_at)."
)


class CommandSchema(InputSchema):
    """Base of every command's body: what it carries, and when it happened (`occurred_at`)."""

    occurred_at = moment(load_default=None, metadata={"description": OCCURRED_AT})


def note(description: str = "A note for the history") -> fields.String:
    """An optional free-text note ("" when left out)."""
    return fields.String(load_default="", validate=NOTE_TEXT, metadata={"description": description})


def new_id(what: str) -> fields.UUID:
    """An optional id for a new thing: chosen by the caller, or generated and returned."""
    return fields.UUID(
        load_default=None,
        metadata={"description": f"Id of the new {what} (generated when left out)"},
    )


class EventRefSchema(Schema):
    event_id = fields.UUID(required=True)
    type = fields.String(
        required=True, metadata={"description": "Past-tense event name, e.g. GoalSet"}
    )
    stream_version = fields.Integer(required=True)
    recorded_at = instant(required=True)


class CommandResultSchema(Schema):
    """What a command stored: the plan's new version (also the ETag) and its events."""

    client_id = fields.String(required=True)
    version = fields.Integer(
        required=True, metadata={"description": "The plan's version after the command"}
    )
    events = fields.List(fields.Nested(EventRefSchema), required=True)


def command_result(name: str, *created: str) -> type[Schema]:
    """A `CommandResultSchema` that also returns the ids of what the command created."""
    extra = {field: fields.String(required=True) for field in created}
    return type(name, (CommandResultSchema,), extra)


class NoBodySchema(InputSchema):
    """A request that takes no fields (an empty object, or no body at all)."""
