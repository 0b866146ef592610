"""The destination: the client's long-term career goal, set once and then revised."""

from __future__ import annotations

from flask.views import MethodView

from api.commands import run
from api.resources.common import ETAG_HEADER, command_doc, v1_blueprint
from api.schemas.common import CommandResultSchema
from api.schemas.destination import DestinationPatchSchema, DestinationSchema
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
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="reviseDestination")
    def patch(self, body, client_id):
        """Revise the destination; fields left out keep their value."""
        return run(client_id, c.ReviseDestination(**body))
