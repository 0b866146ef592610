"""Career pivots: review the plan against a new destination, decide each frozen item, complete or abandon."""

from __future__ import annotations

from flask.views import MethodView

from api.authentication import principal
from api.commands import etag, new_id, run
from api.resources.common import ETAG_HEADER, command_doc, services, v1_blueprint
from api.resources.goals import new_goal
from api.schemas.common import CommandResultSchema
from api.schemas.pivot_review import (
    PivotDecidedSchema,
    PivotSchema,
    PivotStartedSchema,
    carry_over_lists,
    pivot_document,
)
from api.schemas.pivots import (
    AbandonPivotSchema,
    CompletePivotSchema,
    PivotDecisionSchema,
    StartPivotSchema,
)
from domain import commands as c
from domain.errors import PivotNotFound
from domain.pivots import ProposedRequirement

blp = v1_blueprint(
    "pivots",
    "Career pivots: a new role or industry reviewed like a quarterly review, keep, tweak, replace "
    "or drop for each goal and requirement",
)
PIVOT = "/clients/<uuid:client_id>/pivots/<uuid:pivot_id>"


def _plan(client_id):
    return services().plans.load(principal().organisation_id, str(client_id))


@blp.route("/clients/<uuid:client_id>/pivots")
class Pivots(MethodView):
    @blp.arguments(StartPivotSchema)
    @blp.response(201, PivotStartedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="startPivot")
    def post(self, body, client_id):
        """Start a pivot toward a new destination: answers what carries over, what it strands, what is uncovered.

        The open goals and active requirements are frozen for it; until it is
        completed or abandoned the plan takes no new goal and no review.
        """
        pivot_id = new_id("pivot", body.pop("pivot_id"))
        proposed = tuple(
            ProposedRequirement(
                new_id(f"requirement-{index}", item["requirement_id"]),
                item["kind"],
                item["description"],
            )
            for index, item in enumerate(body.pop("requirements"))
        )
        command = c.StartPivot(pivot_id=pivot_id, requirements=proposed, **body)
        answer, status, headers = run(client_id, command, status=201, pivot_id=pivot_id)
        plan = _plan(client_id).plan
        return {**answer, **carry_over_lists(plan, plan.pivots[pivot_id])}, status, headers


@blp.route(PIVOT)
class Pivot(MethodView):
    @blp.response(200, PivotSchema, headers=ETAG_HEADER)
    @blp.doc(operationId="getPivot")
    def get(self, client_id, pivot_id):
        """The pivot review: carry-over lists, decisions so far, what is undecided, its status."""
        loaded = _plan(client_id)
        pivot = loaded.plan.pivots.get(str(pivot_id))
        if pivot is None:
            raise PivotNotFound(f"this plan has no pivot with id {pivot_id}")
        return pivot_document(loaded.plan, pivot), {"ETag": etag(loaded.version)}


@blp.route(f"{PIVOT}/decisions")
class Decisions(MethodView):
    @blp.arguments(PivotDecisionSchema)
    @blp.response(200, PivotDecidedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="decidePivotItem")
    def post(self, body, client_id, pivot_id):
        """Decide one frozen goal or requirement: keep, tweak, replace or drop."""
        replacement = new_goal(body["replacement"], "replacement") if body["replacement"] else None
        subject = {
            name: str(body[name]) if body[name] is not None else None
            for name in ("goal_id", "requirement_id", "becomes")
        }
        command = c.RecordPivotDecision(
            pivot_id=str(pivot_id),
            decision=body["decision"],
            note=body["note"],
            refinement=body["refinement"],
            replacement=replacement,
            occurred_at=body["occurred_at"],
            **subject,
        )
        ids = {"replacement_goal_id": replacement.goal_id} if replacement else {}
        return run(client_id, command, **ids)


@blp.route(f"{PIVOT}/complete")
class CompletePivot(MethodView):
    @blp.arguments(CompletePivotSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="completePivot")
    def post(self, body, client_id, pivot_id):
        """Complete the pivot once all is decided: the new destination becomes the plan's."""
        return run(client_id, c.CompletePivot(pivot_id=str(pivot_id), **body))


@blp.route(f"{PIVOT}/abandon")
class AbandonPivot(MethodView):
    @blp.arguments(AbandonPivotSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="abandonPivot")
    def post(self, body, client_id, pivot_id):
        """Abandon the pivot: the destination stays as it was; new goals may be set again."""
        return run(client_id, c.AbandonPivot(pivot_id=str(pivot_id), **body))
