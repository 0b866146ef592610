"""Schemas of the read views: roadmap, momentum, caseload, history, as-of, export."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.schemas.caseload import CaseloadEntrySchema
from api.schemas.common import calendar_date, moment
from api.schemas.momentum import (
    ConfidenceSchema,
    OverdueGoalSchema,
    StalledGoalSchema,
    TrendSchema,
    WeekWinsSchema,
)
from api.schemas.roadmap import (
    GapSchema,
    RoadmapDestinationSchema,
    RoadmapGoalSchema,
    TimeframeSchema,
)
from api.schemas.view_fields import AsIs, day, stamp

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
    as_of = day()
    destination = fields.Nested(RoadmapDestinationSchema, allow_none=True)
    timeframes = fields.List(
        fields.Nested(TimeframeSchema),
        metadata={
            "description": (
                "next 3 months, 3–12 months, year 2, years 3–4, later: each with `from` and `until` (until included) "
                "and the open goals due in it, in chain order"
            )
        },
    )
    achieved = fields.List(fields.Nested(RoadmapGoalSchema))
    gaps = fields.List(
        fields.Nested(GapSchema),
        metadata={"description": "Active requirements no open or achieved goal serves"},
    )


class StreakSchema(Schema):
    current = fields.Integer()
    longest = fields.Integer()


class MomentumSchema(Schema):
    as_of = day()
    weeks = fields.List(
        fields.Nested(WeekWinsSchema), metadata={"description": "Wins per ISO week, oldest first."}
    )
    streak = fields.Nested(StreakSchema)
    habit_strength = AsIs(metadata={"description": "0–1: moving average of weeks with a win"})
    trend_30d = fields.Nested(TrendSchema)
    last_win_at = stamp(allow_none=True)
    stalled = fields.List(fields.Nested(StalledGoalSchema))
    overdue = fields.List(fields.Nested(OverdueGoalSchema))
    confidence = fields.Nested(ConfidenceSchema)


class CaseloadSchema(Schema):
    as_of = fields.Date()
    items = fields.List(fields.Nested(CaseloadEntrySchema))


class HistoryQuerySchema(Schema):
    type = fields.List(fields.String(validate=EVENT_TYPE), load_default=list)
    since = moment(load_default=None)
    until = moment(load_default=None)
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**9))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class EventMetadataSchema(Schema):
    """Who caused an event and on behalf of which request."""

    organisation_id = fields.String()
    actor = fields.String(metadata={"description": "The key (`key:<id>`) or process that acted"})
    correlation_id = fields.String(metadata={"description": "The request's X-Request-ID"})
    causation_id = fields.String()
    idempotency_key = fields.String()


class HistoryEntrySchema(Schema):
    version = fields.Integer()
    event_id = fields.String()
    type = fields.String()
    schema_version = fields.Integer()
    recorded_at = fields.String()
    metadata = fields.Nested(EventMetadataSchema)
    data = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "The event's payload as stored, free-form: its fields depend on `type` "
            "and `schema_version` (see `description` for the change in words)."
        },
    )
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
