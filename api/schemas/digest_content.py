"""A stored digest's content, typed: a client's digest, a coach's or the organisation's (`kind` tells which).

The shapes are those `services.digests.client_digest`, `coach_digest` and
`organisation_digest` compose. The content is answered as stored; these
schemas document it (the `content` field of a digest is one of the three).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.caseload import CaseloadEntrySchema
from api.schemas.insights import (
    CoachAttentionSchema,
    GoalFiguresSchema,
    InsightMomentumSchema,
    KindFiguresSchema,
    ReviewOutcomesSchema,
)
from api.schemas.momentum import WeekWinsSchema
from api.schemas.view_fields import AsIs, day
from api.schemas.views import MomentumSchema


class PeriodSchema(Schema):
    start, end = day(), day()
    key = fields.String(metadata={"example": "2026-Q4"})


class DigestClientSchema(Schema):
    client_id, display_name = fields.String(), fields.String()
    coach_id, organisation_id = fields.String(), fields.String()
    timezone = fields.String(allow_none=True)


class DigestDestinationSchema(Schema):
    statement, role, industry, impact = (fields.String(allow_none=True) for _ in range(4))
    horizon = day(allow_none=True)


class WinItemSchema(Schema):
    kind = fields.String(metadata={"description": "milestone, goal or check_in"})
    at = fields.String(metadata={"description": "When the win occurred"})
    goal_id, goal, label = fields.String(), fields.String(), fields.String()


class WinsSchema(Schema):
    total, milestones, goals, check_ins = (fields.Integer() for _ in range(4))
    items = fields.List(fields.Nested(WinItemSchema), metadata={"description": "Oldest first"})


class DigestWeekSchema(WeekWinsSchema):
    habit_strength = AsIs(metadata={"description": "At the end of the week"})


class DigestMomentumSchema(MomentumSchema):
    weeks = fields.List(fields.Nested(DigestWeekSchema))


class DigestFindingSchema(Schema):
    rule, severity = fields.String(allow_none=True), fields.String(allow_none=True)
    suggested_action, summary = fields.String(allow_none=True), fields.String(allow_none=True)
    message = fields.String(allow_none=True)
    goal_id, requirement_id = fields.String(allow_none=True), fields.String(allow_none=True)
    goal = fields.String(allow_none=True, metadata={"description": "The goal's statement"})
    requirement = fields.String(
        allow_none=True, metadata={"description": "The requirement's description"}
    )


class DigestFindingsSchema(Schema):
    checked_at = fields.String(allow_none=True)
    total = fields.Integer()
    counts = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "Per severity"}
    )
    items = fields.List(fields.Nested(DigestFindingSchema), metadata={"description": "Worst first"})


class DeadlineSchema(Schema):
    kind = fields.String(metadata={"description": "goal or review"})
    goal_id = fields.String(allow_none=True)
    label = fields.String()
    due_on = day()
    days_left = fields.Integer(metadata={"description": "Negative: overdue"})
    status = fields.String()
    pace = fields.String(allow_none=True)


class NextMilestoneSchema(Schema):
    milestone_id, title = fields.String(), fields.String()
    estimate_minutes = fields.Integer()


class GoalNextStepsSchema(Schema):
    goal_id, statement = fields.String(), fields.String()
    start_on, due_on = day(), day()
    open_total = fields.Integer()
    milestones = fields.List(
        fields.Nested(NextMilestoneSchema), metadata={"description": "Quickest first"}
    )


class SuggestionSchema(Schema):
    goal_id, statement, status, pace = (fields.String() for _ in range(4))
    progress = AsIs()
    suggestion = fields.String(metadata={"description": "keep, tweak or replace"})
    reasons = fields.List(fields.String())


class LateCorrectionSchema(Schema):
    type = fields.String()
    goal_id, goal = fields.String(allow_none=True), fields.String(allow_none=True)
    occurred_at, recorded_at = fields.String(), fields.String()


class ClientDigestContentSchema(Schema):
    """One client's digest of a period: wins, momentum, findings, deadlines, next steps, suggestions."""

    kind = fields.String(required=True, validate=validate.OneOf(["client"]))
    schema_version = fields.Integer(required=True)
    client_id = fields.String(required=True)
    as_of = day(required=True)
    provisional = fields.Boolean()
    period = fields.Nested(PeriodSchema, required=True)
    client = fields.Nested(DigestClientSchema, required=True)
    destination = fields.Nested(DigestDestinationSchema, allow_none=True)
    wins = fields.Nested(WinsSchema)
    momentum = fields.Nested(DigestMomentumSchema)
    findings = fields.Nested(DigestFindingsSchema)
    deadlines = fields.List(fields.Nested(DeadlineSchema))
    next_milestones = fields.List(fields.Nested(GoalNextStepsSchema))
    suggestions = fields.List(fields.Nested(SuggestionSchema))
    late_corrections = fields.List(fields.Nested(LateCorrectionSchema))
    attention = fields.Nested(CaseloadEntrySchema)


class ClientAttentionSchema(Schema):
    client_id, display_name = fields.String(), fields.String()
    score = fields.Integer()
    reasons = fields.List(fields.String())
    next_review_due = day(allow_none=True)


class ClientCountsSchema(Schema):
    total, needing_attention = fields.Integer(), fields.Integer()


class ClientWinsSchema(Schema):
    client_id, display_name = fields.String(), fields.String()
    total = fields.Integer()


class CaseloadWinsSchema(Schema):
    total, milestones, goals, check_ins = (fields.Integer() for _ in range(4))
    by_client = fields.List(fields.Nested(ClientWinsSchema), metadata={"description": "Most first"})
    clients_without_wins = fields.Integer()


class ClientDeadlineSchema(DeadlineSchema):
    client_id, display_name = fields.String(), fields.String()


class CaseloadFindingsSchema(Schema):
    total = fields.Integer()
    by_severity = fields.Dict(keys=fields.String(), values=fields.Integer())


class CohortSectionSchema(Schema):
    """The cohort insight over the digest's period (as `GET /v1/insights?from=&to=` answers it)."""

    start = day(data_key="from")
    end = day(data_key="to")
    goals = fields.Nested(GoalFiguresSchema)
    by_requirement_kind = fields.List(fields.Nested(KindFiguresSchema))
    reviews = fields.Nested(ReviewOutcomesSchema)
    momentum = fields.Nested(InsightMomentumSchema)


class CoachDigestContentSchema(Schema):
    """A coach's caseload digest of a period: who needs attention and why, wins and deadlines."""

    kind = fields.String(required=True, validate=validate.OneOf(["coach"]))
    schema_version = fields.Integer(required=True)
    coach_id = fields.String(allow_none=True)
    as_of = day(required=True)
    provisional = fields.Boolean()
    period = fields.Nested(PeriodSchema, required=True)
    clients = fields.Nested(ClientCountsSchema, required=True)
    attention = fields.List(fields.Nested(ClientAttentionSchema), required=True)
    wins = fields.Nested(CaseloadWinsSchema, allow_none=True)
    deadlines = fields.List(fields.Nested(ClientDeadlineSchema), allow_none=True)
    findings = fields.Nested(CaseloadFindingsSchema, allow_none=True)
    cohort = fields.Nested(CohortSectionSchema, allow_none=True)


class OrganisationWinsSchema(Schema):
    total, milestones, goals, check_ins = (fields.Integer() for _ in range(4))
    clients_without_wins = fields.Integer()


class OrganisationDigestContentSchema(Schema):
    """The organisation's digest of a period: attention, per-coach counts, wins, deadlines, findings, cohort."""

    kind = fields.String(required=True, validate=validate.OneOf(["organisation"]))
    schema_version = fields.Integer(required=True)
    organisation_id = fields.String(required=True)
    as_of = day(required=True)
    provisional = fields.Boolean()
    period = fields.Nested(PeriodSchema, required=True)
    clients = fields.Nested(ClientCountsSchema, required=True)
    attention = fields.List(
        fields.Nested(ClientAttentionSchema),
        required=True,
        metadata={
            "description": "The 200 clients most needing attention, highest score first "
            "(`clients.needing_attention` counts them all)"
        },
    )
    coaches = fields.List(
        fields.Nested(CoachAttentionSchema),
        required=True,
        metadata={"description": "Per coach: clients, and those needing attention (most first)"},
    )
    wins = fields.Nested(OrganisationWinsSchema)
    deadlines = fields.List(
        fields.Nested(ClientDeadlineSchema),
        metadata={"description": "The 200 soonest deadlines (`deadlines_total` counts them all)"},
    )
    deadlines_total = fields.Integer(
        metadata={"description": "Every deadline of the period's client digests"}
    )
    findings = fields.Nested(CaseloadFindingsSchema)
    cohort = fields.Nested(CohortSectionSchema, allow_none=True)


CONTENT_SCHEMAS = {
    "ClientDigestContent": ClientDigestContentSchema,
    "CoachDigestContent": CoachDigestContentSchema,
    "OrganisationDigestContent": OrganisationDigestContentSchema,
}
