"""Quarterly reviews: freeze the open goals, decide each one, complete."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields

from api.commands import new_id, run
from api.resources.common import ETAG_HEADER, command_doc, v1_blueprint
from api.resources.goals import new_goal
from api.schemas.common import CommandResultSchema, command_result
from api.schemas.reviews import CompleteReviewSchema, ReviewDecisionSchema, StartReviewSchema
from domain import commands as c

blp = v1_blueprint(
    "reviews", "Quarterly reviews: keep, tweak, replace, achieved or dropped for each goal"
)

ReviewStartedSchema = command_result("ReviewStartedSchema", "review_id")
ReviewDecidedSchema = type(
    "ReviewDecidedSchema",
    (CommandResultSchema,),
    {
        "replacement_goal_id": fields.String(
            metadata={"description": "Only for a 'replace' decision"}
        ),
    },
)
REVIEW = "/clients/<uuid:client_id>/reviews/<uuid:review_id>"


@blp.route("/clients/<uuid:client_id>/reviews")
class Reviews(MethodView):
    @blp.arguments(StartReviewSchema, required=False)
    @blp.response(201, ReviewStartedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="startReview")
    def post(self, body, client_id):
        """Start a review: the goals open now are frozen for it."""
        review_id = new_id("review", body["review_id"])
        return run(
            client_id,
            c.StartReview(review_id=review_id, occurred_at=body["occurred_at"]),
            status=201,
            review_id=review_id,
        )


@blp.route(f"{REVIEW}/decisions")
class Decisions(MethodView):
    @blp.arguments(ReviewDecisionSchema)
    @blp.response(200, ReviewDecidedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="decideReviewGoal")
    def post(self, body, client_id, review_id):
        """Decide one reviewed goal: keep, tweak, replace, achieved or dropped."""
        replacement = new_goal(body["replacement"], "replacement") if body["replacement"] else None
        command = c.RecordReviewDecision(
            review_id=str(review_id),
            goal_id=str(body["goal_id"]),
            decision=body["decision"],
            note=body["note"],
            refinement=body["refinement"],
            replacement=replacement,
            occurred_at=body["occurred_at"],
        )
        ids = {"replacement_goal_id": replacement.goal_id} if replacement else {}
        return run(client_id, command, **ids)


@blp.route(f"{REVIEW}/complete")
class CompleteReview(MethodView):
    @blp.arguments(CompleteReviewSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="completeReview")
    def post(self, body, client_id, review_id):
        """Complete the review once every frozen goal has a decision."""
        return run(client_id, c.CompleteReview(review_id=str(review_id), **body))
