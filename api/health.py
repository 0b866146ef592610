"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from services.health import database_problem

blp = Blueprint("health", __name__, description="Service health")


class HealthSchema(Schema):
    status = fields.String(required=True)
    detail = fields.String()


@blp.route("/health")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """Liveness: the process answers."""
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="Database unreachable")
    def get(self):
        """Readiness: the database answers."""
        problem = database_problem(current_app.extensions["careerplan"].engine)
        if problem is not None:
            return {"status": "unavailable", "detail": problem}, 503
        return {"status": "ok"}
