"""Schemas of re-alignment checks asked for now, the current findings, and organisation sweeps."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.pagination import page_query, page_schema
from api.positions import finding_place
from api.schemas.common import calendar_date, instant


class AlignmentCheckRequestSchema(Schema):
    on = calendar_date(
        load_default=None,
        metadata={
            "description": "A past day (the client's calendar) to judge the plan as it was then; default: now. "
            "Not after the client's today."
        },
    )


class FindingSchema(Schema):
    rule = fields.String(metadata={"description": "The rule's stable code, such as goal_stalled."})
    severity = fields.String(metadata={"description": "critical, warning or info."})
    suggested_action = fields.String(metadata={"description": "keep, tweak, replace or add goal."})
    summary = fields.String()
    message = fields.String(allow_none=True)
    goal_id = fields.String(allow_none=True)
    requirement_id = fields.String(allow_none=True)


class AlignmentCheckSchema(Schema):
    client_id = fields.String()
    version = fields.Integer(
        metadata={"description": "The plan's stream version after the check (its ETag)."}
    )
    check_id = fields.String()
    checked_at = instant(
        metadata={
            "description": "When the check judged the plan: now, or the end of "
            "the day asked for (UTC)."
        }
    )
    findings = fields.List(
        fields.Nested(FindingSchema), metadata={"description": "Most severe first."}
    )


class CurrentFindingSchema(FindingSchema):
    goal_statement = fields.String(allow_none=True)
    requirement_description = fields.String(allow_none=True)
    since = instant(
        metadata={
            "description": "When the first check of the unbroken run of checks that found it ran."
        }
    )


FindingPageQuerySchema = page_query("FindingPageQuerySchema", position=finding_place)


class CurrentFindingsSchema(page_schema("FindingPage", CurrentFindingSchema)):
    """A page of the current check's findings: most severe first, newest first within a severity."""

    client_id = fields.String()
    check_id = fields.String(
        allow_none=True, metadata={"description": "The current check (null: never checked)."}
    )
    checked_at = instant(allow_none=True)
    total = fields.Integer(
        metadata={"description": "How many findings the check made (at most 50 are listed)."}
    )


class SweepStatusSchema(Schema):
    sweep_id = fields.String()
    day = fields.Date(
        metadata={"description": "The day (UTC) swept: one sweep per organisation and day."}
    )
    requested_at = instant()
    requested_by = fields.String()
    queued = fields.Integer(metadata={"description": "Clients whose check was queued."})
    relayed = fields.Integer(metadata={"description": "Checks handed to the workers so far."})
    waiting = fields.Integer(metadata={"description": "Checks still waiting in the outbox."})
    failed = fields.Integer(
        metadata={
            "description": "Checks that failed past their retries (see `careerplan jobs failed`)."
        }
    )
