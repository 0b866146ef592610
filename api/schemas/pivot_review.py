"""Career pivots out: the pivot review and what the pivot commands answer.

`pivot_document` lays a pivot out as the pivot review reads it: the three
carry-over lists with the wording of each requirement and goal, the
decisions so far and what is still undecided.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import CommandResultSchema, instant
from api.schemas.plan import DestinationOut
from domain.pivot import Pivot
from domain.plan import CareerPlan


class ProposedOut(Schema):
    requirement_id, kind, description = fields.String(), fields.String(), fields.String()


class CarriedOut(Schema):
    requirement_id, description = fields.String(), fields.String()
    new_requirement_id, new_description = fields.String(), fields.String()
    likeness = fields.String(
        validate=validate.OneOf(("same", "similar")),
        metadata={
            "description": "same wording once normalised, or similar (same kind, shared words)"
        },
    )


class StrandedGoalOut(Schema):
    goal_id, statement = fields.String(), fields.String()
    serves = fields.List(fields.String(), metadata={"description": "Requirement ids it serves"})


class CarryOverFields(Schema):
    carried_over = fields.List(
        fields.Nested(CarriedOut),
        metadata={"description": "Current requirements that carry over: the same or a similar one"},
    )
    stranded_goals = fields.List(
        fields.Nested(StrandedGoalOut),
        metadata={"description": "Goals that serve no requirement of the new destination"},
    )
    uncovered_requirements = fields.List(
        fields.Nested(ProposedOut),
        metadata={"description": "New requirements that no goal serves"},
    )


class PivotDecisionOut(Schema):
    goal_id, requirement_id = fields.String(allow_none=True), fields.String(allow_none=True)
    decision, note = fields.String(), fields.String()
    decided_at = instant()
    replacement_goal_id = fields.String(allow_none=True)
    becomes = fields.String(allow_none=True)


class PivotSchema(CarryOverFields):
    """A pivot review: toward which destination, its carry-over lists, the decisions so far."""

    pivot_id = fields.String()
    status = fields.String(validate=validate.OneOf(("open", "completed", "abandoned")))
    started_at, closed_at = instant(), instant(allow_none=True)
    close_note = fields.String(metadata={"description": "The completion summary or abandon reason"})
    from_destination = fields.Nested(DestinationOut, data_key="from")
    to = fields.Nested(DestinationOut)
    proposed = fields.List(fields.Nested(ProposedOut))
    goal_ids = fields.List(fields.String(), metadata={"description": "Goals frozen at the start"})
    requirement_ids = fields.List(
        fields.String(), metadata={"description": "Requirements frozen at the start"}
    )
    decisions = fields.List(fields.Nested(PivotDecisionOut))
    undecided_goal_ids = fields.List(fields.String())
    undecided_requirement_ids = fields.List(fields.String())


PivotStartedSchema = type(
    "PivotStartedSchema",
    (CommandResultSchema,),
    {"pivot_id": fields.String(required=True), **CarryOverFields._declared_fields},
)
PivotDecidedSchema = type(
    "PivotDecidedSchema",
    (CommandResultSchema,),
    {
        "replacement_goal_id": fields.String(
            metadata={"description": "Only for a goal's 'replace' decision"}
        )
    },
)
DestinationRevisedSchema = type(
    "DestinationRevisedSchema",
    (CommandResultSchema,),
    {
        "pivot_id": fields.String(
            metadata={"description": "Only when a new role or industry opened a pivot"}
        )
    },
)


def carry_over_lists(plan: CareerPlan, pivot: Pivot) -> dict:
    """The three carry-over lists of `pivot`, each item with its wording as the plan holds it now."""
    requirements, goals = plan.requirements, plan.goals
    proposed = {p.requirement_id: p for p in pivot.proposed}
    return {
        "carried_over": [
            {
                "requirement_id": item.requirement_id,
                "description": requirements[item.requirement_id].description,
                "new_requirement_id": item.new_requirement_id,
                "new_description": proposed[item.new_requirement_id].description,
                "likeness": item.likeness,
            }
            for item in pivot.carry_over.carried
        ],
        "stranded_goals": [
            {
                "goal_id": goal_id,
                "statement": goals[goal_id].terms.statement,
                "serves": [c.requirement_id for c in goals[goal_id].terms.serves],
            }
            for goal_id in pivot.carry_over.stranded_goal_ids
        ],
        "uncovered_requirements": [
            vars(proposed[rid]) for rid in pivot.carry_over.uncovered_requirement_ids
        ],
    }


def pivot_document(plan: CareerPlan, pivot: Pivot) -> dict:
    """The pivot review as `PivotSchema` dumps it."""
    decisions = [
        {"goal_id": goal_id, "requirement_id": None, **vars(decision)}
        for goal_id, decision in pivot.goal_decisions.items()
    ] + [
        {"goal_id": None, "requirement_id": rid, **vars(decision)}
        for rid, decision in pivot.requirement_decisions.items()
    ]
    return {
        **vars(pivot),
        **carry_over_lists(plan, pivot),
        "from_destination": pivot.old,
        "to": pivot.new,
        "proposed": [vars(p) for p in pivot.proposed],
        "decisions": decisions,
        "undecided_goal_ids": pivot.undecided_goals,
        "undecided_requirement_ids": pivot.undecided_requirements,
    }
