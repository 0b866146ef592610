"""Clients: enrol, read the plan, list, reassign the coach."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.commands import etag, new_id, run
from api.problems import Problem
from api.resources.common import ETAG_HEADER, command_doc, services, v1_blueprint
from api.schemas.clients import (
    ClientListQuerySchema,
    ClientPageSchema,
    EnrolClientSchema,
    ReassignCoachSchema,
    encode_cursor,
)
from api.schemas.common import CommandResultSchema
from api.schemas.plan import ClientPlanSchema
from api.schemas.trust import ErasureSchema
from domain import commands as c

blp = v1_blueprint("clients", "Clients of the organisation: enrolment, their plan, their coach")


@blp.route("/clients")
class Clients(MethodView):
    @blp.arguments(ClientListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ClientPageSchema)
    @blp.doc(operationId="listClients")
    def get(self, query):
        """List the clients this key can see, by client id, a page at a time."""
        caller = principal()
        coach_id = query["coach_id"]
        if caller.role == "coach":
            if coach_id not in (None, caller.coach_id):
                return {"items": [], "next_cursor": None}
            coach_id = caller.coach_id
        services().views.refresh_all()  # read-your-writes: a client enrolled a moment ago is listed
        page = services().tenancy.directory.page(
            caller.organisation_id, coach_id=coach_id, after=query["after"], limit=query["limit"]
        )
        return {"items": page.items, "next_cursor": encode_cursor(page.next_after)}

    @blp.arguments(EnrolClientSchema)
    @blp.response(201, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="enrolClient")
    def post(self, body):
        """Enrol a client with their coach: the start of their career plan."""
        caller = require_role("admin", "coach")
        coach_id = body["coach_id"] or caller.coach_id
        if coach_id is None:
            raise Problem(
                422,
                "validation_failed",
                "name the client's coach",
                errors={"json": {"coach_id": ["Missing data for required field."]}},
            )
        if caller.role == "coach" and coach_id != caller.coach_id:
            raise Problem(
                403, "forbidden_for_role", "a coach key enrols clients for its own coach only"
            )
        client_id = new_id("client", body["client_id"])
        command = c.EnrolClient(
            client_id=client_id,
            organisation_id=caller.organisation_id,
            coach_id=coach_id,
            display_name=body["display_name"],
            timezone=body["timezone"],
            review_cadence_months=body["review_cadence_months"],
            occurred_at=body["occurred_at"],
        )
        return run(client_id, command, status=201, location=f"/v1/clients/{client_id}")


@blp.route("/clients/<uuid:client_id>")
class Client(MethodView):
    @blp.response(200, ClientPlanSchema, headers=ETAG_HEADER)
    @blp.doc(operationId="getClientPlan")
    def get(self, client_id):
        """The client's career plan as it stands now."""
        loaded = services().plans.load(principal().organisation_id, str(client_id))
        return loaded, {"ETag": etag(loaded.version)}

    @blp.response(200, ErasureSchema)
    @blp.doc(operationId="forgetClient")
    def delete(self, client_id):
        """Forget the client (admins): destroy their data key and purge their personal data.

        The history stays, hash chain intact, with the personal fields erased;
        the plan takes no more commands and leaves every view. Repeating the
        request purges again and reports `key_destroyed: false`.
        """
        caller = require_role("admin")
        report = services().erasure.forget(caller.organisation_id, str(client_id), caller.actor)
        return vars(report)


@blp.route("/clients/<uuid:client_id>/coach")
class Coach(MethodView):
    @blp.arguments(ReassignCoachSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="reassignCoach")
    def put(self, body, client_id):
        """Reassign the client to another coach."""
        return run(client_id, c.ReassignCoach(**body))
