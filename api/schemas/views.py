"""Schemas of the read views: roadmap, momentum, caseload, history, as-of, export."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.pagination import page_query, page_schema, whole_number
from api.positions import rank_and_id
from api.schemas.caseload import CaseloadEntrySchema
from api.schemas.common import calendar_date, instant, moment
from api.schemas.momentum import (
    ConfidenceSchema,
    OverdueGoalSchema,
    StalledGoalSchema,
    TrendSchema,
    WeekWinsSchema,
)
from api.schemas.planned_dump import PlannedDump
from api.schemas.roadmap import (
    GapSchema,
    RoadmapDestinationSchema,
    RoadmapGoalSchema,
    TimeframeSchema,
)
from api.schemas.view_fields import AsIs, day

EVENT_TYPE = validate.Length(min=1, max=100)


class AsOfDayQuerySchema(Schema):
    today = calendar_date(
        load_default=None, metadata={"description": "The day to compute for (default: today, UTC)."}
    )


class RoadmapQuerySchema(AsOfDayQuerySchema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={
            "description": (
                "`json` (default), or `csv`: the seed's table as `text/csv`, one row per goal (timeframe, goal, "
                "how it leads, requirements, due on, status, goal id)"
            )
        },
    )


class MomentumQuerySchema(AsOfDayQuerySchema):
    stall_days = fields.Integer(load_default=21, validate=validate.Range(min=1, max=365))


CaseloadQuerySchema = page_query(
    "CaseloadQuerySchema",
    position=rank_and_id,
    today=calendar_date(
        load_default=None, metadata={"description": "The day to compute for (default: today, UTC)."}
    ),
    stall_days=fields.Integer(load_default=21, validate=validate.Range(min=1, max=365)),
    coach_id=fields.String(load_default=None, validate=validate.Length(min=1, max=100)),
)


class RoadmapSchema(PlannedDump):
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


class MomentumSchema(PlannedDump):
    as_of = day()
    weeks = fields.List(
        fields.Nested(WeekWinsSchema), metadata={"description": "Wins per ISO week, oldest first."}
    )
    streak = fields.Nested(StreakSchema)
    habit_strength = AsIs(metadata={"description": "0–1: moving average of weeks with a win"})
    trend_30d = fields.Nested(TrendSchema)
    last_win_at = instant(allow_none=True)
    stalled = fields.List(fields.Nested(StalledGoalSchema))
    overdue = fields.List(fields.Nested(OverdueGoalSchema))
    confidence = fields.Nested(ConfidenceSchema)


class CaseloadSchema(Schema):
    as_of = fields.Date(metadata={"description": "The day the scores are computed for."})
    items = fields.List(fields.Nested(CaseloadEntrySchema))
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Pass as `cursor` for the next page, with the same `today`, `stall_days` and "
            "`coach_id`; null on the last page"
        },
    )


HISTORY_MAX_LIMIT = 500
ID_TEXT = validate.Length(min=1, max=100)

HistoryQuerySchema = page_query(
    "HistoryQuerySchema",
    position=whole_number,  # the version of the last event of the previous page
    max_limit=HISTORY_MAX_LIMIT,
    order=fields.String(
        load_default="newest",
        validate=validate.OneOf(("newest", "oldest")),
        metadata={
            "description": "newest first (the default), or oldest first in version order; a cursor "
            "holds for the order it was given in"
        },
    ),
    type=fields.List(
        fields.String(validate=EVENT_TYPE),
        load_default=list,
        metadata={"description": "Only events of these types (repeat the parameter for several)"},
    ),
    since=moment(
        load_default=None, metadata={"description": "Only events recorded at or after this instant"}
    ),
    until=moment(
        load_default=None, metadata={"description": "Only events recorded before this instant"}
    ),
    goal_id=fields.String(
        load_default=None,
        validate=ID_TEXT,
        metadata={
            "description": (
                "Only events that concern this goal: its own (set, refined, paused, resumed, achieved, dropped, "
                "reopened; its milestones, check-ins and review decisions), the goal that replaced it or that it "
                "replaced, a review that froze it, and a goal set or re-chained to follow it"
            )
        },
    ),
    requirement_id=fields.String(
        load_default=None,
        validate=ID_TEXT,
        metadata={
            "description": (
                "Only events that concern this requirement: its own (added, revised, retired) and those that "
                "concern (as `goal_id` says) a goal that serves it or served it at any time"
            )
        },
    ),
)


class EventMetadataSchema(Schema):
    """Who caused an event and on behalf of which request."""

    organisation_id = fields.String()
    actor = fields.String(metadata={"description": "The key (`key:<id>`) or process that acted"})
    correlation_id = fields.String(metadata={"description": "The request's X-Request-ID"})
    causation_id = fields.String()
    idempotency_key = fields.String()


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
    client_id = fields.String(metadata={"description": "The client whose history this is"})
    version = fields.Integer()
    event_id = fields.String()
    type = fields.String()
    schema_version = fields.Integer()
    recorded_at = instant()
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
    episode = fields.String(
        allow_none=True,
        metadata={
            "description": "The pivot (its id) this entry is part of: the pivot's own events and "
            "the goal, requirement and destination changes its decisions and completion recorded"
        },
    )
    actor = fields.Nested(ActorSchema, metadata={"description": "Who recorded the event"})


HistoryPageSchema = page_schema(
    "HistoryPageSchema",
    HistoryEntrySchema,
    "The client's events, newest first unless `order=oldest`",
)


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
