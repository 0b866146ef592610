"""A caseload entry: why one client needs attention, and their latest re-alignment check in brief."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.view_fields import day, stamp


class FindingRefSchema(Schema):
    """A critical finding that raises the score: its rule and what it is about."""

    rule = fields.String()
    goal_id = fields.String(allow_none=True)
    requirement_id = fields.String(allow_none=True)


class FindingBriefSchema(FindingRefSchema):
    severity = fields.String(metadata={"description": "critical, warning or info"})
    suggested_action = fields.String()
    summary = fields.String()


class CriticalFindingSchema(FindingBriefSchema):
    goal_statement = fields.String(allow_none=True)
    requirement_description = fields.String(allow_none=True)


class AlignmentSummarySchema(Schema):
    """The client's current re-alignment check: when, counts per severity, the most severe few."""

    check_id = fields.String()
    checked_at = stamp()
    total = fields.Integer()
    critical, warning, info = fields.Integer(), fields.Integer(), fields.Integer()
    top = fields.List(fields.Nested(FindingBriefSchema), metadata={"description": "Most severe"})
    critical_findings = fields.List(fields.Nested(CriticalFindingSchema))


class CaseloadEntrySchema(Schema):
    """One client of the caseload: attention score (higher: look sooner) and the reasons for it."""

    client_id, display_name = fields.String(), fields.String()
    organisation_id, coach_id = fields.String(), fields.String()
    score = fields.Integer()
    reasons = fields.List(fields.String(), metadata={"description": "One line per reason"})
    stalled = fields.List(fields.String(), metadata={"description": "Ids of stalled goals"})
    overdue = fields.List(fields.String(), metadata={"description": "Ids of overdue goals"})
    falling_confidence = fields.Boolean()
    review_due = fields.Boolean()
    next_review_due = day(allow_none=True)
    critical_findings = fields.List(fields.Nested(FindingRefSchema))
    alignment = fields.Nested(
        AlignmentSummarySchema, allow_none=True, metadata={"description": "null: never checked"}
    )
