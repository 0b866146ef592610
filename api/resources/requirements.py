"""Requirements: the 5–10 things someone in the destination role knows, has done and is trusted with."""

from __future__ import annotations

from flask.views import MethodView

from api.commands import new_id, run
from api.resources.common import ETAG_HEADER, command_doc, v1_blueprint
from api.schemas.common import CommandResultSchema, command_result
from api.schemas.destination import (
    NewRequirementSchema,
    RequirementPatchSchema,
    RetireRequirementSchema,
)
from domain import commands as c

blp = v1_blueprint(
    "requirements", "What the destination role requires: skills, experiences, credentials …"
)

RequirementAddedSchema = command_result("RequirementAddedSchema", "requirement_id")


@blp.route("/clients/<uuid:client_id>/requirements")
class Requirements(MethodView):
    @blp.arguments(NewRequirementSchema)
    @blp.response(201, RequirementAddedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="addRequirement")
    def post(self, body, client_id):
        """Add a requirement of the destination role."""
        requirement_id = new_id("requirement", body["requirement_id"])
        command = c.AddRequirement(
            requirement_id=requirement_id,
            kind=body["kind"],
            description=body["description"],
            occurred_at=body["occurred_at"],
        )
        return run(client_id, command, status=201, requirement_id=requirement_id)


@blp.route("/clients/<uuid:client_id>/requirements/<uuid:requirement_id>")
class Requirement(MethodView):
    @blp.arguments(RequirementPatchSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="reviseRequirement")
    def patch(self, body, client_id, requirement_id):
        """Revise a requirement's kind or description."""
        return run(client_id, c.ReviseRequirement(requirement_id=str(requirement_id), **body))


@blp.route("/clients/<uuid:client_id>/requirements/<uuid:requirement_id>/retire")
class RetireRequirement(MethodView):
    @blp.arguments(RetireRequirementSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="retireRequirement")
    def post(self, body, client_id, requirement_id):
        """Retire a requirement that no longer applies (its history stays)."""
        return run(client_id, c.RetireRequirement(requirement_id=str(requirement_id), **body))
