"""A client's career plan as it stands: the document `GET /v1/clients/{id}` returns."""

from __future__ import annotations

from marshmallow import Schema, fields, pre_dump, validate

from api.schemas.common import instant
from services.plans import LoadedPlan


class DictValues(fields.Nested):
    """A dict of id → object, dumped as the list of its values (in insertion order)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(
            None if value is None else list(value.values()), attr, obj, **kwargs
        )


class DestinationOut(Schema):
    statement, role, industry, impact = (fields.String() for _ in range(4))
    horizon = fields.Date()


class RequirementOut(Schema):
    requirement_id, kind, description = fields.String(), fields.String(), fields.String()
    added_at, retired_at = instant(), instant(allow_none=True)
    retire_reason = fields.String()
    is_active = fields.Boolean(data_key="active")


class MeasureOut(Schema):
    name, unit = fields.String(), fields.String()
    baseline, target = fields.Float(allow_none=True), fields.Float(allow_none=True)


class ContributionOut(Schema):
    requirement_id, how_it_leads = fields.String(), fields.String()


class TermsOut(Schema):
    statement, category = fields.String(), fields.String()
    measure = fields.Nested(MeasureOut)
    confidence = fields.Integer()
    serves = fields.List(fields.Nested(ContributionOut))
    start_on, due_on = fields.Date(), fields.Date()
    follows = fields.List(fields.String())


class MilestoneOut(Schema):
    milestone_id, title, status = fields.String(), fields.String(), fields.String()
    estimate_minutes = fields.Integer()
    added_at, completed_at = instant(), instant(allow_none=True)


class CheckInOut(Schema):
    """A check-in as it counts now: its own time, the values of its latest correction."""

    check_in_id, note = fields.String(), fields.String()
    occurred_at = instant()
    value = fields.Float(allow_none=True)
    confidence = fields.Integer()
    corrected_by = fields.String(allow_none=True)


class LifecycleOut(Schema):
    number = fields.Integer()
    outcome, note = fields.String(), fields.String()
    closed_at = instant()


class GoalOut(Schema):
    goal_id, status = fields.String(), fields.String()
    lifecycle = fields.Integer()
    terms = fields.Nested(TermsOut)
    set_at, closed_at = instant(), instant(allow_none=True)
    close_note = fields.String()
    replaces, replaced_by = fields.String(allow_none=True), fields.String(allow_none=True)
    current_value = fields.Float(allow_none=True)
    current_confidence = fields.Integer()
    milestones = DictValues(MilestoneOut, many=True)
    check_ins = fields.List(fields.Nested(CheckInOut))
    past_lifecycles = fields.List(fields.Nested(LifecycleOut))

    @pre_dump
    def derive(self, goal, **_) -> dict:
        return {
            **vars(goal),
            "current_value": goal.current_value,
            "current_confidence": goal.current_confidence,
            "check_ins": goal.effective_check_ins(),
        }


class DecisionOut(Schema):
    goal_id, decision, note = fields.String(), fields.String(), fields.String()
    decided_at = instant()
    replacement_goal_id = fields.String(allow_none=True)


class ReviewOut(Schema):
    review_id, summary = fields.String(), fields.String()
    goal_ids = fields.List(fields.String())
    started_at, completed_at = instant(), instant(allow_none=True)
    decisions = fields.List(fields.Nested(DecisionOut))

    @pre_dump
    def list_decisions(self, review, **_) -> dict:
        decisions = [
            {"goal_id": goal_id, **vars(decision)} for goal_id, decision in review.decisions.items()
        ]
        return {**vars(review), "decisions": decisions}


class PivotBriefOut(Schema):
    """A pivot at a glance; `GET …/pivots/{pivot_id}` has its whole review."""

    pivot_id, status = fields.String(), fields.String()
    started_at, closed_at = instant(), instant(allow_none=True)
    to = fields.Nested(DestinationOut, attribute="new")
    undecided = fields.Integer(
        metadata={"description": "Frozen goals and requirements still without a decision"}
    )

    @pre_dump
    def count_undecided(self, pivot, **_) -> dict:
        undecided = len(pivot.undecided_goals) + len(pivot.undecided_requirements)
        return {**vars(pivot), "undecided": undecided}


class RequirementsStatusOut(Schema):
    state = fields.String(metadata={"description": "drafting (under 5) or complete (5–10)"})
    active, missing = fields.Integer(), fields.Integer()


class ClientPlanSchema(Schema):
    """The plan replayed from the client's events; `version` is also the ETag."""

    client_id, coach_id, display_name, timezone = (fields.String() for _ in range(4))
    review_cadence_months, version = fields.Integer(), fields.Integer()
    enrolled_at = instant()
    status = fields.String(
        validate=validate.OneOf(("active", "archived")),
        metadata={"description": "active, or archived: kept and readable, refuses commands"},
    )
    archived_at = instant(
        allow_none=True, metadata={"description": "Since when archived; null if active"}
    )
    destination = fields.Nested(DestinationOut, allow_none=True)
    requirements_status = fields.Nested(RequirementsStatusOut)
    requirements = DictValues(RequirementOut, many=True)
    goals = DictValues(GoalOut, many=True)
    reviews = DictValues(ReviewOut, many=True)
    open_review_id = fields.String(allow_none=True)
    last_review_completed_at = instant(allow_none=True)
    pivots = DictValues(PivotBriefOut, many=True)
    open_pivot_id = fields.String(
        allow_none=True,
        metadata={"description": "While set, the plan takes no new goal (see the pivot's review)"},
    )
    next_review_due = fields.Date(allow_none=True)

    @pre_dump
    def unwrap(self, loaded: LoadedPlan, **_) -> dict:
        plan = loaded.plan
        names = (
            "client_id",
            "coach_id",
            "display_name",
            "timezone",
            "review_cadence_months",
            "enrolled_at",
            "status",
            "archived_at",
            "destination",
            "requirements_status",
            "requirements",
            "goals",
            "reviews",
            "open_review_id",
            "last_review_completed_at",
            "pivots",
            "open_pivot_id",
        )
        return {
            **{name: getattr(plan, name) for name in names},
            "version": loaded.version,
            "next_review_due": plan.next_review_due(),
        }
