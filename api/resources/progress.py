"""Progress on a goal: micro-milestones (add, complete, reopen, remove) and check-ins."""

from __future__ import annotations

from flask.views import MethodView

from api.commands import new_id, run
from api.resources.common import ETAG_HEADER, command_doc, v1_blueprint
from api.schemas.common import CommandResultSchema, CommandSchema, command_result
from api.schemas.progress import MilestoneAddedSchema, NewCheckInSchema, NewMilestoneSchema
from domain import commands as c
from domain.progress import milestone_guidance

blp = v1_blueprint(
    "progress", "Micro-milestones of 30–60 minutes, and check-ins on a goal's metric"
)

CheckInRecordedSchema = command_result("CheckInRecordedSchema", "check_in_id")
GOAL = "/clients/<uuid:client_id>/goals/<uuid:goal_id>"
MILESTONE = f"{GOAL}/milestones/<uuid:milestone_id>"


@blp.route(f"{GOAL}/milestones")
class Milestones(MethodView):
    @blp.arguments(NewMilestoneSchema())
    @blp.response(201, MilestoneAddedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="addMilestone")
    def post(self, body, client_id, goal_id):
        """Add a micro-milestone (15–120 minutes; 30–60 is the norm) to an open goal."""
        milestone_id = new_id("milestone", body["milestone_id"])
        command = c.AddMilestone(
            goal_id=str(goal_id),
            milestone_id=milestone_id,
            title=body["title"],
            estimate_minutes=body["estimate_minutes"],
            occurred_at=body["occurred_at"],
        )
        body, status, headers = run(client_id, command, status=201, milestone_id=milestone_id)
        warning = milestone_guidance(command.estimate_minutes)
        return {**body, "warnings": [warning] if warning else []}, status, headers


@blp.route(MILESTONE)
class Milestone(MethodView):
    @blp.arguments(CommandSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="removeMilestone")
    def delete(self, body, client_id, goal_id, milestone_id):
        """Remove a milestone from the goal (its history stays)."""
        return run(
            client_id,
            c.RemoveMilestone(goal_id=str(goal_id), milestone_id=str(milestone_id), **body),
        )


@blp.route(f"{MILESTONE}/complete")
class CompleteMilestone(MethodView):
    @blp.arguments(CommandSchema(), required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="completeMilestone")
    def post(self, body, client_id, goal_id, milestone_id):
        """Complete a milestone: a win."""
        return run(
            client_id,
            c.CompleteMilestone(goal_id=str(goal_id), milestone_id=str(milestone_id), **body),
        )


@blp.route(f"{MILESTONE}/reopen")
class ReopenMilestone(MethodView):
    @blp.arguments(CommandSchema(), required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="reopenMilestone")
    def post(self, body, client_id, goal_id, milestone_id):
        """Reopen a completed milestone."""
        return run(
            client_id,
            c.ReopenMilestone(goal_id=str(goal_id), milestone_id=str(milestone_id), **body),
        )


@blp.route(f"{GOAL}/check-ins")
class CheckIns(MethodView):
    @blp.arguments(NewCheckInSchema())
    @blp.response(201, CheckInRecordedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="recordCheckIn")
    def post(self, body, client_id, goal_id):
        """Record a check-in: the metric's new value, confidence 1–10 and a note."""
        check_in_id = new_id("check-in", body.pop("check_in_id"))
        corrects = body.pop("corrects")
        command = c.RecordCheckIn(
            goal_id=str(goal_id),
            check_in_id=check_in_id,
            corrects=None if corrects is None else str(corrects),
            **body,
        )
        return run(client_id, command, status=201, check_in_id=check_in_id)
