"""Clients: enrol, read the plan, list, change details, archive and reactivate, reassign the coach."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.commands import etag, new_id, run
from api.pagination import page
from api.problems import Problem
from api.resources.common import ETAG_HEADER, command_doc, services, v1_blueprint
from api.schemas.clients import (
    ClientListQuerySchema,
    ClientPageSchema,
    ClientStatusChangeSchema,
    EnrolClientSchema,
    ReassignCoachSchema,
    UpdateClientSchema,
)
from api.schemas.common import CommandResultSchema
from api.schemas.plan import ClientPlanSchema
from api.schemas.trust import ErasureSchema
from domain import commands as c
from services.access.client_directory import Attention

blp = v1_blueprint("clients", "Clients of the organisation: enrolment, their plan, their coach")


@blp.route("/clients")
class Clients(MethodView):
    @blp.arguments(ClientListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ClientPageSchema)
    @blp.doc(operationId="listClients")
    def get(self, query):
        """List the clients this key can see, by client id, a page at a time.

        Filters: `coach_id`, `status` (active, archived, or all: the default, as
        before archiving existed) and `needs_attention` (as the caseload ranks today).
        """
        caller = principal()
        coach_id = query["coach_id"]
        if caller.role == "coach":
            if coach_id not in (None, caller.coach_id):
                return page([], None)
            coach_id = caller.coach_id
        attention = None
        if query["needs_attention"] is not None:
            attention = Attention(query["needs_attention"], services().clock().date())
        services().views.refresh_all()  # read-your-writes: a client enrolled a moment ago is listed
        found = services().tenancy.directory.page(
            caller.organisation_id,
            coach_id=coach_id,
            status=None if query["status"] == "all" else query["status"],
            attention=attention,
            after=query["after"],
            limit=query["limit"],
        )
        return page(found.items, found.next_after)

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

    @blp.arguments(UpdateClientSchema)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @blp.doc(operationId="updateClient")
    @command_doc
    def patch(self, body, client_id):
        """Change the client's display name, time zone or review cadence (recorded as an event).

        Only the fields that differ are recorded; a request that changes nothing
        is refused with 422 `nothing_changed` and writes nothing. An archived
        client is refused with 409 `client_archived`.
        """
        require_role("admin", "coach")
        return run(client_id, c.ChangeClientDetails(**body))

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


@blp.route("/clients/<uuid:client_id>/archive")
class Archive(MethodView):
    @blp.arguments(ClientStatusChangeSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @blp.doc(operationId="archiveClient")
    @command_doc
    def post(self, body, client_id):
        """Archive the client (admins, or the client's coach).

        The client leaves the caseload, digest runs and re-alignment sweeps; their
        plan, roadmap, history and export stay readable. Every command but
        reactivation (and erasure by an admin) is refused with 409 `client_archived`.
        """
        require_role("admin", "coach")
        return run(client_id, c.ArchiveClient(reason=body["reason"]))


@blp.route("/clients/<uuid:client_id>/reactivate")
class Reactivate(MethodView):
    @blp.arguments(ClientStatusChangeSchema, required=False)
    @blp.response(200, CommandResultSchema, headers=ETAG_HEADER)
    @blp.doc(operationId="reactivateClient")
    @command_doc
    def post(self, body, client_id):
        """Reactivate an archived client (admins, or the client's coach); 409 `client_not_archived` if active."""
        require_role("admin", "coach")
        return run(client_id, c.ReactivateClient(reason=body["reason"]))
