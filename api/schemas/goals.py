"""SMART goals in: terms (new goal), a patch (refinement), life-cycle bodies. Loaded into domain values."""

from __future__ import annotations

from marshmallow import fields, post_load, validate

from api.schemas.common import (
    LONG_TEXT,
    SHORT_TEXT,
    CommandSchema,
    InputSchema,
    calendar_date,
    new_id,
    note,
)
from domain.values import GOAL_CATEGORIES, Contribution, GoalTerms, Measure, TermsPatch

CONFIDENCE = validate.Range(1, 10)


class MeasureSchema(InputSchema):
    """A metric from baseline to target, or (no baseline, no target) done / not done."""

    name = fields.String(
        required=True,
        validate=SHORT_TEXT,
        metadata={"description": "The metric, or what counts as done"},
    )
    baseline = fields.Float(load_default=None, allow_none=True)
    target = fields.Float(load_default=None, allow_none=True)
    unit = fields.String(load_default="", validate=validate.Length(max=50))

    @post_load
    def to_measure(self, data, **_) -> Measure:
        return Measure(**data)


class ContributionSchema(InputSchema):
    """A requirement the goal serves, and how it leads toward the destination."""

    requirement_id = fields.UUID(required=True)
    how_it_leads = fields.String(required=True, validate=LONG_TEXT)

    @post_load
    def to_contribution(self, data, **_) -> Contribution:
        return Contribution(str(data["requirement_id"]), data["how_it_leads"])


def _terms_fields(required: bool) -> dict:
    """The SMART fields, all required (new goal) or all optional (refinement)."""

    def opt(field_cls, *args, **kwargs):
        kwargs.update({"required": True} if required else {"load_default": None})
        return field_cls(*args, **kwargs)

    return {
        "statement": opt(fields.String, validate=LONG_TEXT, metadata={"description": "Specific"}),
        "category": opt(fields.String, validate=validate.OneOf(GOAL_CATEGORIES)),
        "measure": opt(fields.Nested, MeasureSchema, metadata={"description": "Measurable"}),
        "confidence": opt(
            fields.Integer,
            strict=True,
            validate=CONFIDENCE,
            metadata={"description": "Achievable: 1 (very unlikely) to 10 (certain)"},
        ),
        # At least one is a rule of the plan: the domain explains it (add requirements first), not the schema.
        "serves": fields.List(
            fields.Nested(ContributionSchema),
            validate=validate.Length(max=10),
            load_default=list if required else None,
            metadata={
                "description": (
                    "Relevant: the requirements it serves (at least one; add the destination's "
                    "requirements first)"
                )
            },
        ),
        "start_on": opt(calendar_date),
        "due_on": opt(
            calendar_date, metadata={"description": "Time-bound: at most 2 years after start_on"}
        ),
        "follows": fields.List(
            fields.UUID(),
            validate=validate.Length(max=20),
            **({"load_default": list} if required else {"load_default": None}),
            metadata={"description": "Goals this one follows in a chain"},
        ),
    }


def _ids(values):
    return None if values is None else tuple(str(value) for value in values)


def _new_goal(data: dict) -> dict:
    goal_id = data.pop("goal_id")
    occurred_at = data.pop("occurred_at", None)
    terms = GoalTerms(**{**data, "follows": _ids(data["follows"])})
    return {"goal_id": goal_id, "terms": terms, "occurred_at": occurred_at}


def _patch(data: dict) -> TermsPatch:
    return TermsPatch(**{**data, "follows": _ids(data["follows"])})


class NewGoalSchema(
    InputSchema.from_dict({"goal_id": new_id("goal"), **_terms_fields(required=True)})
):
    """A new SMART goal (specific, measurable, achievable, relevant, time-bound)."""

    @post_load
    def to_terms(self, data, **_) -> dict:
        return _new_goal(data)


class SetGoalSchema(
    CommandSchema.from_dict({"goal_id": new_id("goal"), **_terms_fields(required=True)})
):
    """A new SMART goal (specific, measurable, achievable, relevant, time-bound), and when it was set."""

    @post_load
    def to_terms(self, data, **_) -> dict:
        return _new_goal(data)


class GoalPatchSchema(InputSchema.from_dict(_terms_fields(required=False))):
    """The SMART fields to change; fields left out keep their value."""

    @post_load
    def to_patch(self, data, **_) -> TermsPatch:
        return _patch(data)


class RefineGoalSchema(CommandSchema.from_dict(_terms_fields(required=False))):
    """The SMART fields to change (fields left out keep their value), and when the change was made."""

    @post_load
    def to_refinement(self, data, **_) -> dict:
        occurred_at = data.pop("occurred_at")
        return {"changes": _patch(data), "occurred_at": occurred_at}


class PauseGoalSchema(CommandSchema):
    reason = note("Why the goal is paused")


class AchieveGoalSchema(CommandSchema):
    note = note("How it was achieved")


class ReasonRequiredSchema(CommandSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class ReplaceGoalSchema(CommandSchema):
    replacement = fields.Nested(NewGoalSchema, required=True)
    reason = note("Why the goal is replaced")
