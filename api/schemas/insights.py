"""The cohort insight: its query (range, filters) and its answer (figures per kind, template, coach)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.schemas.common import calendar_date

MAX_RANGE_DAYS = 3 * 366
ID = validate.Length(min=1, max=100)


class InsightQuerySchema(Schema):
    start = calendar_date(
        data_key="from",
        load_default=None,
        metadata={"description": "First day of the range (default: 3 months before `to`)."},
    )
    end = calendar_date(
        data_key="to",
        load_default=None,
        metadata={
            "description": "Last day of the range; figures are judged as of it (default: today, UTC)."
        },
    )
    coach_id = fields.String(
        load_default=None,
        validate=ID,
        metadata={
            "description": "Only this coach's clients (a coach key always sees its own only)."
        },
    )
    template_id = fields.String(
        load_default=None,
        validate=ID,
        metadata={"description": "Only goals from this template, and clients it was applied to."},
    )
    cohort = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="a month as YYYY-MM"),
        metadata={"description": "Only clients enrolled in this month (YYYY-MM, UTC)."},
    )
    stall_days = fields.Integer(load_default=21, validate=validate.Range(min=1, max=365))

    @validates_schema
    def _range(self, data, **kwargs):
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError("`from` must not be after `to`", "from")
        if start and end and (end - start).days > MAX_RANGE_DAYS:
            raise ValidationError(f"a range of at most {MAX_RANGE_DAYS} days", "from")


class GoalFiguresSchema(Schema):
    goals = fields.Integer(metadata={"description": "Goals set within the range"})
    achieved = fields.Integer(metadata={"description": "Of them, achieved by `to`"})
    achieved_share = fields.Float(allow_none=True)
    median_days_to_achieve = fields.Float(
        allow_none=True,
        metadata={"description": "Days from setting to achieving (null: none achieved)"},
    )
    stalled = fields.Integer(
        metadata={"description": "Active, started and without a win for `stall_days` as of `to`"}
    )
    stalled_share = fields.Float(allow_none=True)


class KindFiguresSchema(GoalFiguresSchema):
    kind = fields.String(metadata={"description": "A kind of requirement the goals serve"})


class TemplateFiguresSchema(GoalFiguresSchema):
    template_id = fields.String(
        allow_none=True, metadata={"description": "null: goals set without a template"}
    )
    template_version = fields.Integer(allow_none=True)
    template_name = fields.String(allow_none=True)


class DecisionCountsSchema(Schema):
    keep = fields.Integer()
    tweak = fields.Integer()
    replace = fields.Integer()
    achieved = fields.Integer()
    dropped = fields.Integer()


class DecisionRatesSchema(Schema):
    keep = fields.Float(allow_none=True)
    tweak = fields.Float(allow_none=True)
    replace = fields.Float(allow_none=True)
    achieved = fields.Float(allow_none=True)
    dropped = fields.Float(allow_none=True)


class ReviewOutcomesSchema(Schema):
    decisions = fields.Integer(
        metadata={"description": "Review decisions recorded within the range"}
    )
    counts = fields.Nested(DecisionCountsSchema)
    rates = fields.Nested(
        DecisionRatesSchema, metadata={"description": "Share of each (null: none)"}
    )


class TrendCountsSchema(Schema):
    up = fields.Integer()
    flat = fields.Integer()
    down = fields.Integer()


class InsightMomentumSchema(Schema):
    clients = fields.Integer(metadata={"description": "Active clients enrolled by `to`"})
    trend_30d = fields.Nested(
        TrendCountsSchema,
        metadata={"description": "Clients by wins in the 30 days to `to` against the 30 before"},
    )
    wins_last_30_days = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Clients by wins in the 30 days to `to`: 0, 1-2, 3-5, 6+"},
    )


class CoachAttentionSchema(Schema):
    coach_id = fields.String()
    clients = fields.Integer()
    needing_attention = fields.Integer(
        metadata={"description": "Clients the caseload would score above 0 as of `to`"}
    )


class InsightFiltersSchema(Schema):
    coach_id = fields.String(allow_none=True)
    template_id = fields.String(allow_none=True)
    cohort = fields.String(allow_none=True)


class InsightSchema(Schema):
    start = fields.Date(data_key="from", attribute="from")
    end = fields.Date(data_key="to", attribute="to")
    stall_days = fields.Integer()
    filters = fields.Nested(InsightFiltersSchema)
    goals = fields.Nested(GoalFiguresSchema)
    by_requirement_kind = fields.List(fields.Nested(KindFiguresSchema))
    by_template = fields.List(fields.Nested(TemplateFiguresSchema))
    reviews = fields.Nested(ReviewOutcomesSchema)
    momentum = fields.Nested(InsightMomentumSchema)
    attention = fields.List(
        fields.Nested(CoachAttentionSchema), metadata={"description": "Per coach, by coach id"}
    )
