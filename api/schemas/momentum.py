"""Momentum's nested shapes: wins per week, the 30-day trend, stalled and overdue goals, confidence."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.view_fields import AsIs, day


class WeekWinsSchema(Schema):
    """Wins in one ISO week, by kind."""

    week = fields.String(metadata={"description": "ISO week, e.g. 2026-W48"})
    milestones, goals, check_ins, total = (fields.Integer() for _ in range(4))


class TrendSchema(Schema):
    """Wins in the last 30 days (today included) against the 30 days before."""

    last_30_days = fields.Integer()
    previous_30_days = fields.Integer()
    change = AsIs(allow_none=True, metadata={"description": "(last − previous) / previous"})
    direction = fields.String(metadata={"description": "up, down or flat"})


class StalledGoalSchema(Schema):
    goal_id, statement = fields.String(), fields.String()
    quiet_since = fields.String(metadata={"description": "When the quiet spell began"})
    quiet_days = AsIs(metadata={"description": "Days without a win (paused days excluded)"})


class OverdueGoalSchema(Schema):
    goal_id, statement = fields.String(), fields.String()
    due_on = day()
    days_overdue = fields.Integer()


class GoalConfidenceSchema(Schema):
    latest = fields.Integer(allow_none=True)
    delta = AsIs(allow_none=True, metadata={"description": "Latest − mean of earlier points"})


class ConfidenceSchema(Schema):
    goals = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(GoalConfidenceSchema),
        metadata={"description": "Per open goal, by goal id"},
    )
    overall_delta = AsIs(allow_none=True)
    direction = fields.String(
        allow_none=True, metadata={"description": "falling, rising or steady (null: unknown)"}
    )
