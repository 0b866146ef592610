"""The roadmap's nested shapes: the destination as the view holds it, timeframes, goal entries, gaps."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.view_fields import AsIs, day, stamp


class RoadmapDestinationSchema(Schema):
    """The destination as set (and last revised)."""

    statement, role, industry, impact = (fields.String() for _ in range(4))
    horizon = day(metadata={"description": "When the client means to be there"})
    set_at = stamp()
    revised_at = stamp(allow_none=True)


class GoalMeasureSchema(Schema):
    """A metric from baseline to target; a done/not-done goal has neither (null)."""

    name = fields.String()
    unit = fields.String()
    baseline = AsIs(allow_none=True)
    target = AsIs(allow_none=True)


class GoalFindingBriefSchema(Schema):
    """A current re-alignment finding about the goal, in brief."""

    rule, severity, summary = fields.String(), fields.String(), fields.String()
    suggested_action = fields.String(metadata={"description": "keep, tweak, replace or add goal"})
    since = fields.String(
        allow_none=True, metadata={"description": "When the run of checks that found it began"}
    )


class MilestoneCountSchema(Schema):
    completed = fields.Integer()
    total = fields.Integer()


class ServedRequirementSchema(Schema):
    """A requirement the goal serves, and how the goal leads to it."""

    requirement_id = fields.String()
    how_it_leads = fields.String()
    description = fields.String(allow_none=True)
    retired = fields.Boolean(metadata={"description": "The requirement was retired since"})


class RoadmapGoalSchema(Schema):
    """An open (or achieved) goal on the roadmap, with its progress and pace as of the day asked."""

    goal_id, statement, category, status = (fields.String() for _ in range(4))
    start_on, due_on = day(), day()
    measure = fields.Nested(GoalMeasureSchema)
    current_value = AsIs(allow_none=True)
    progress = AsIs(metadata={"description": "0–1 toward the target (achieved: 1)"})
    pace = fields.String(
        metadata={
            "description": "on track, behind, at risk; or not started, paused, achieved, closed"
        }
    )
    confidence = fields.Integer(allow_none=True, metadata={"description": "Latest, 1–10"})
    follows = fields.List(fields.String(), metadata={"description": "Goals it comes after"})
    replaces = fields.String(allow_none=True)
    findings = fields.List(fields.Nested(GoalFindingBriefSchema))
    milestones = fields.Nested(MilestoneCountSchema)
    serves = fields.List(fields.Nested(ServedRequirementSchema))


class TimeframeSchema(Schema):
    """One timeframe of the roadmap: after `from`, up to and including `until` (null: open-ended)."""

    name = fields.String(metadata={"example": "next 3 months"})
    from_ = day(attribute="from", data_key="from", allow_none=True)
    until = day(allow_none=True)
    goals = fields.List(fields.Nested(RoadmapGoalSchema), metadata={"description": "Chain order"})


class GapSchema(Schema):
    """An active requirement no open or achieved goal serves."""

    requirement_id, kind, description = fields.String(), fields.String(), fields.String()
