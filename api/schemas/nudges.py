"""Nudges: the organisation's nudge settings (part of the policy) and a client's recorded nudges."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.pagination import page_query, page_schema, whole_number
from api.schemas.common import instant


class NudgePolicySchema(Schema):
    enabled = fields.Boolean(
        load_default=False,
        metadata={"description": "Nudge quiet clients at all (off until the organisation opts in)"},
    )
    quiet_days = fields.Integer(
        load_default=7,
        validate=validate.Range(min=1, max=90),
        metadata={
            "description": "Days without a check-in or completed milestone (business time) after "
            "which a client is due a nudge"
        },
    )
    min_days_between = fields.Integer(
        load_default=7,
        validate=validate.Range(min=1, max=90),
        metadata={"description": "At least this many days between two nudges of one client"},
    )


class NudgeSchema(Schema):
    nudge_id = fields.String(required=True, metadata={"description": "From (client, day)"})
    day = fields.Date(required=True, metadata={"description": "The sweep's day it was due on"})
    quiet_days = fields.Integer(
        required=True, metadata={"description": "Days the client had been quiet then"}
    )
    goal_id = fields.String(required=True)
    goal_statement = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The goal as it read then (null once the client is forgotten)"},
    )
    milestone_id = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The goal's next open milestone; null: suggest adding one"},
    )
    milestone_title = fields.String(required=True, allow_none=True)
    occurred_at = instant(required=True)
    recorded_at = instant(required=True)
    version = fields.Integer(required=True, metadata={"description": "Its place in the history"})


NudgePageQuerySchema = page_query("NudgePageQuerySchema", position=whole_number)
NudgePageSchema = page_schema("NudgePageSchema", NudgeSchema, "The client's nudges, newest first")
