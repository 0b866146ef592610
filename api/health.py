"""Liveness and readiness probes for load balancers and orchestrators.

`/health` is liveness: the process answers, touching nothing else, so an
outage of a dependency never gets a healthy pod restarted. `/ready` is
readiness: PostgreSQL answers, and Redis when the service uses it, each
within a one-second budget, so the probe itself never hangs.
"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from services.health import database_problem, redis_problem

blp = Blueprint("health", __name__, description="Service health")


class HealthSchema(Schema):
    status = fields.String(required=True)
    detail = fields.String()


@blp.route("/health")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.doc(operationId="getHealth")
    def get(self):
        """Liveness: the process answers."""
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="Database or Redis unreachable")
    @blp.doc(operationId="getReadiness")
    def get(self):
        """Readiness: the database (and Redis, when used) answer within a second each."""
        services = current_app.extensions["careerplan"]
        problems = {"database": database_problem(services.engine)}
        if services.settings.redis_url:
            problems["redis"] = redis_problem(services.settings.redis_url)
        failed = [f"{name}: {problem}" for name, problem in problems.items() if problem]
        if failed:
            return {"status": "unavailable", "detail": "; ".join(failed)}, 503
        return {"status": "ok"}
