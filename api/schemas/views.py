"""Schemas of the read views: roadmap, momentum, caseload, history, as-of, export."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.schemas.common import calendar_date, moment

EVENT_TYPE = validate.Length(min=1, max=100)


class AsOfDayQuerySchema(Schema):
    today = calendar_date(
        load_default=None, metadata={"description": "The day to compute for (default: today, UTC)."}
    )


class MomentumQuerySchema(AsOfDayQuerySchema):
    stall_days = fields.Integer(load_default=21, validate=validate.Range(min=1, max=365))


class CaseloadQuerySchema(MomentumQuerySchema):
    coach_id = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class RoadmapSchema(Schema):
    client_id = fields.String()
    as_of = fields.String()
    destination = fields.Dict(allow_none=True)
    timeframes = fields.List(
        fields.Dict(),
        metadata={
            "description": (
                "next 3 months, 3–12 months, year 2, years 3–4, later: each with `from` and `until` (until included) "
                "and the open goals due in it, in chain order"
            )
        },
    )
    achieved = fields.List(fields.Dict())
    gaps = fields.List(fields.Dict())


class StreakSchema(Schema):
    current = fields.Integer()
    longest = fields.Integer()


class MomentumSchema(Schema):
    as_of = fields.String()
    weeks = fields.List(fields.Dict(), metadata={"description": "Wins per ISO week, oldest first."})
    streak = fields.Nested(StreakSchema)
    habit_strength = fields.Float()
    trend_30d = fields.Dict()
    last_win_at = fields.String(allow_none=True)
    stalled = fields.List(fields.Dict())
    overdue = fields.List(fields.Dict())
    confidence = fields.Dict()


class CaseloadSchema(Schema):
    as_of = fields.Date()
    items = fields.List(fields.Dict())


class HistoryQuerySchema(Schema):
    type = fields.List(fields.String(validate=EVENT_TYPE), load_default=list)
    since = moment(load_default=None)
    until = moment(load_default=None)
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**9))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class ActorSchema(Schema):
    """Who did it, as a person: a coach by name, an admin or auditor key by label, or the service itself."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(("coach", "admin", "auditor", "scheduler", "system")),
        metadata={
            "description": (
                "coach (a coach key: `id` and `name`), admin or auditor (their key: `label`), "
                "scheduler (the scheduled re-alignment checks), system (other work of the service: `name`)"
            )
        },
    )
    key_id = fields.String(metadata={"description": "The API key that asked, where one did"})
    id = fields.String(metadata={"description": "The coach's id (kind coach)"})
    name = fields.String(
        allow_none=True,
        metadata={"description": "The coach's name as the roster says now, or the system actor"},
    )
    label = fields.String(metadata={"description": "The key's label: its prefix (admin, auditor)"})


class HistoryEntrySchema(Schema):
    version = fields.Integer()
    event_id = fields.String()
    type = fields.String()
    schema_version = fields.Integer()
    recorded_at = fields.String()
    metadata = fields.Dict()
    data = fields.Dict()
    erased = fields.List(
        fields.String(),
        metadata={
            "description": "Personal fields erased when the client was forgotten (they read as null)"
        },
    )
    hash = fields.String(
        metadata={"description": "SHA-256 of the event chained to its predecessor (hex)"}
    )
    prev_hash = fields.String(
        allow_none=True, metadata={"description": "The previous event's hash (null first)"}
    )
    description = fields.String()
    actor = fields.Nested(ActorSchema, metadata={"description": "Who recorded the event"})


class HistoryPageSchema(Schema):
    items = fields.List(fields.Nested(HistoryEntrySchema))
    next_after = fields.Integer(allow_none=True)


class AsOfQuerySchema(Schema):
    """Exactly one of the two questions: `known_at` (recorded time) or `on` (business time)."""

    known_at = moment(
        load_default=None,
        metadata={
            "description": (
                "Audit: the plan as the service knew it at this instant, replayed from the events recorded by "
                "then (recorded time). A fact back-dated later is not in it."
            )
        },
    )
    on = calendar_date(
        load_default=None,
        metadata={
            "description": (
                "Coaching: the plan as it was at the end of this day on the client's calendar, as known now "
                "(business time): every fact that occurred by then, including those recorded later."
            )
        },
    )
    at = moment(
        load_default=None,
        metadata={"description": "Deprecated: the same as known_at.", "deprecated": True},
    )

    @validates_schema
    def one_question(self, data, **_):
        asked = [name for name in ("known_at", "on", "at") if data.get(name) is not None]
        if len(asked) != 1:
            raise ValidationError(
                "Give exactly one of known_at (recorded time) or on (business time).",
                field_name="_schema",
            )
