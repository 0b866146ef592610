"""The destination: the client's long-term career goal, set once and then revised."""

from __future__ import annotations

from flask.views import MethodView

from api.commands import new_id, run
from api.resources.common import ETAG_HEADER, command_doc, v1_blueprint
from api.schemas.common import CommandResultSchema
from api.schemas.destination import DestinationPatchSchema, DestinationSchema
from api.schemas.pivot_review import DestinationRevisedSchema
from domain import commands as c

blp = v1_blueprint("destination", "The long-term career goal: role, industry, impact and horizon")


@blp.route("/clients/<uuid:client_id>/destination")
class Destination(MethodView):
    @blp.arguments(DestinationSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="setDestination")
    def put(self, body, client_id):
        """Set the destination (once; change it later with PATCH)."""
        return run(client_id, c.SetDestination(**body))

    @blp.arguments(DestinationPatchSchema)
    @blp.response(200, DestinationRevisedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="reviseDestination")
    def patch(self, body, client_id):
        """Revise the destination; fields left out keep their value.

        A new role or industry is a career pivot: instead of revising, it opens
        one (answered as `pivot_id`; see the pivots operations), and the
        destination changes when the pivot completes. Statement, impact and
        horizon alone are a plain revision.
        """
        pivot_id = new_id("pivot")
        answer, status, headers = run(client_id, c.ReviseDestination(**body, pivot_id=pivot_id))
        if any(event["type"] == "PivotStarted" for event in answer["events"]):
            answer["pivot_id"] = pivot_id
        return answer, status, headers
