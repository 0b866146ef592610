"""Goals: set SMART goals, refine them, and move them through their life-cycle."""

from __future__ import annotations

from flask.views import MethodView

from api.commands import new_id, run
from api.resources.common import ETAG_HEADER, command_doc, v1_blueprint
from api.schemas.common import CommandResultSchema, CommandSchema, command_result
from api.schemas.goals import (
    AchieveGoalSchema,
    PauseGoalSchema,
    ReasonRequiredSchema,
    RefineGoalSchema,
    ReplaceGoalSchema,
    SetGoalSchema,
)
from domain import commands as c

blp = v1_blueprint(
    "goals", "Short-term SMART goals that lead to the destination, and their life-cycle"
)

GoalSetSchema = command_result("GoalSetSchema", "goal_id")
GoalReplacedSchema = command_result("GoalReplacedSchema", "replacement_goal_id")
GOAL = "/clients/<uuid:client_id>/goals/<uuid:goal_id>"


def new_goal(body: dict, kind: str = "goal") -> c.SetGoal:
    """A SetGoal from a loaded `NewGoalSchema` body, with the caller's or a new goal id."""
    return c.SetGoal(
        goal_id=new_id(kind, body["goal_id"]), terms=body["terms"], occurred_at=body["occurred_at"]
    )


@blp.route("/clients/<uuid:client_id>/goals")
class Goals(MethodView):
    @blp.arguments(SetGoalSchema)
    @blp.response(201, GoalSetSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="setGoal")
    def post(self, body, client_id):
        """Set a SMART goal that serves one or more requirements."""
        command = new_goal(body)
        return run(client_id, command, status=201, goal_id=command.goal_id)


@blp.route(GOAL)
class Goal(MethodView):
    @blp.arguments(RefineGoalSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="refineGoal")
    def patch(self, body, client_id, goal_id):
        """Refine a goal's SMART terms; fields left out keep their value."""
        return run(client_id, c.RefineGoal(goal_id=str(goal_id), **body))


@blp.route(f"{GOAL}/pause")
class PauseGoal(MethodView):
    @blp.arguments(PauseGoalSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="pauseGoal")
    def post(self, body, client_id, goal_id):
        """Pause an active goal (it is then neither stalled nor overdue)."""
        return run(client_id, c.PauseGoal(goal_id=str(goal_id), **body))


@blp.route(f"{GOAL}/resume")
class ResumeGoal(MethodView):
    @blp.arguments(CommandSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="resumeGoal")
    def post(self, body, client_id, goal_id):
        """Resume a paused goal."""
        return run(client_id, c.ResumeGoal(goal_id=str(goal_id), **body))


@blp.route(f"{GOAL}/achieve")
class AchieveGoal(MethodView):
    @blp.arguments(AchieveGoalSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="achieveGoal")
    def post(self, body, client_id, goal_id):
        """Mark a goal achieved: a win."""
        return run(client_id, c.AchieveGoal(goal_id=str(goal_id), **body))


@blp.route(f"{GOAL}/drop")
class DropGoal(MethodView):
    @blp.arguments(ReasonRequiredSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="dropGoal")
    def post(self, body, client_id, goal_id):
        """Drop a goal, saying why."""
        return run(client_id, c.DropGoal(goal_id=str(goal_id), **body))


@blp.route(f"{GOAL}/replace")
class ReplaceGoal(MethodView):
    @blp.arguments(ReplaceGoalSchema)
    @blp.response(200, GoalReplacedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="replaceGoal")
    def post(self, body, client_id, goal_id):
        """Replace a goal by a new one, in one step."""
        replacement = new_goal(body["replacement"], "replacement")
        command = c.ReplaceGoal(
            goal_id=str(goal_id),
            replacement=replacement,
            reason=body["reason"],
            occurred_at=body["occurred_at"],
        )
        return run(client_id, command, replacement_goal_id=replacement.goal_id)


@blp.route(f"{GOAL}/reopen")
class ReopenGoal(MethodView):
    @blp.arguments(ReasonRequiredSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="reopenGoal")
    def post(self, body, client_id, goal_id):
        """Reopen an achieved or dropped goal: a new life-cycle starts."""
        return run(client_id, c.ReopenGoal(goal_id=str(goal_id), **body))
