"""The Flask application factory: config, the problem+json API, the request pipeline, the routes.

Every /v1 request passes, in order: request id → rate limit → bearer key → scope (404
outside the caller's organisation or coach, 403 for an auditor's command) → a
body must be JSON (415) → Idempotency-Key claim → the view (schema in →
application service → schema out) → `Location` on 201/202 → the key's answer
kept for retries → ETag and 304 on reads → request id echoed → access log.
Every request (any path) is also timed by its route for GET /metrics, and
bounded by the request budget (a database that stops answering: 503).
"""

from __future__ import annotations

from flask import Flask

from api import (
    access_log,
    authentication,
    conditional,
    content_type,
    docs_page,
    health,
    idempotency,
    input_limits,
    locations,
    metrics,
    rate_limits,
    request_budget,
    request_id,
    scope,
    security_headers,
)
from api.json_provider import OrjsonProvider
from api.resources import BLUEPRINTS
from api.spec import SPEC_OPTIONS, CareerPlanApi, document_schemas, document_security

MAX_BODY_BYTES = 256 * 1024


def create_app(services) -> Flask:
    """Build the app on `services` (`careerplan.bootstrap.Services`: the composition root builds them)."""
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.update(
        API_TITLE="Career plan API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS=SPEC_OPTIONS,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    app.extensions["careerplan"] = services
    api = CareerPlanApi(app)
    document_security(api)
    document_schemas(api)
    access_log.install(app)
    metrics.install(app, api)
    request_id.install(app)
    security_headers.install(app)
    input_limits.install(app)
    rate_limits.install(app, services.settings)
    authentication.install(app)
    scope.install(app)
    content_type.install(app)
    idempotency.install(app)
    locations.install(app)  # after idempotency: a retry's stored answer has it too
    conditional.install(app)
    request_budget.install(app, services.settings.request_budget_s)
    api.register_blueprint(health.blp)
    app.register_blueprint(docs_page.blp)  # /docs: Swagger UI from the package
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    return app
