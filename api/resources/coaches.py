"""Coaches: the organisation's roster (admins manage it; auditors read it; a coach key reads itself)."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.pagination import page
from api.resources.common import services, v1_blueprint
from api.schemas.coaches import (
    CoachListQuerySchema,
    CoachPageSchema,
    CoachSchema,
    CoachUpdateSchema,
    NewCoachSchema,
)

blp = v1_blueprint("coaches", "Coaches of the organisation: who clients and coach keys belong to")


@blp.route("/coaches")
class Coaches(MethodView):
    @blp.doc(operationId="listCoaches")
    @blp.arguments(CoachListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, CoachPageSchema)
    def get(self, query):
        """List the organisation's coaches by id, a page at a time (a coach key sees itself only)."""
        caller = principal()
        found = services().coaches.page(
            caller.organisation_id,
            active=query["active"],
            only=caller.coach_id if caller.role == "coach" else None,
            after=query["after"],
            limit=query["limit"],
        )
        return page(found.items, found.next_after)

    @blp.doc(operationId="createCoach")
    @blp.arguments(NewCoachSchema)
    @blp.response(201, CoachSchema, headers={"Location": {"schema": {"type": "string"}}})
    def post(self, body):
        """Add a coach to the organisation (admins): clients and coach keys can then name them."""
        caller = require_role("admin")
        coach = services().coaches.create(
            caller.organisation_id, body["name"], body["email"], body["coach_id"]
        )
        return coach, 201, {"Location": f"/v1/coaches/{coach.coach_id}"}


@blp.route("/coaches/<coach_id>")
class Coach(MethodView):
    @blp.doc(operationId="getCoach")
    @blp.response(200, CoachSchema)
    def get(self, coach_id):
        """One coach of the organisation (a coach key reads itself only)."""
        return services().coaches.get(principal().organisation_id, coach_id)

    @blp.doc(operationId="updateCoach")
    @blp.arguments(CoachUpdateSchema)
    @blp.response(200, CoachSchema)
    def patch(self, body, coach_id):
        """Change a coach's name, email or active (admins); deactivating keeps their history.

        A deactivated coach takes no new clients (enrolment and reassignment
        refuse them with `coach_inactive`), their clients stay assigned until
        reassigned, and their keys are revoked at once; reactivating does not
        bring the keys back.
        """
        caller = require_role("admin")
        return services().coaches.update(caller.organisation_id, coach_id, **body)
