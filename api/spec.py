"""The flask-smorest `Api`, told that errors are problem+json and that callers bring a bearer key."""

from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from api.errors import http_problem, register_error_handlers
from api.problems import PROBLEM_JSON, ProblemSchema
from api.schemas.digest_content import CONTENT_SCHEMAS
from api.spec_plugin import DESCRIPTIONS, OperationsPlugin

DESCRIPTION = """Career plans of coaching clients: destination, requirements, SMART goals,
milestones, check-ins, quarterly reviews and career pivots.

Authenticate with `Authorization: Bearer <API key>`. Every client resource
returns an `ETag` (the plan's version); send it back in `If-Match` to make a
command fail with 412 instead of overwriting a change you have not seen. Send
an `Idempotency-Key` with a command to retry it safely. `X-Request-ID` is
echoed (or generated) and recorded with the events the request causes.
Errors are RFC 9457 problem details (`application/problem+json`).

Bodies are JSON: one sent with another (or no) `Content-Type` is a 415.
Every JSON read carries an `ETag`: send it in `If-None-Match` to get 304 with
no body while the answer holds. A 201 or 202 says in `Location` where the new
thing (or the accepted work's status) is. Swagger UI is served at /docs.

Two times on every fact: `occurred_at`, when it happened in the client's life
(business time; every command takes it, now when left out, so back-filled
notes count as live ones would), and `recorded_at`, when the service learnt it
(in the history). `GET /v1/clients/{id}/as-of` asks the past either way:
`known_at` (what the service knew at an instant: audits) or `on` (what was true
on a day, as known now: coaching). Roadmap, momentum and caseload take
`today`, and place goals by when they are due."""

HEADER_PARAMETERS = {
    "IfNoneMatch": {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "description": "The ETag of the answer you hold: 304 with no body while it is current.",
        "schema": {"type": "string"},
    },
    "IfMatch": {
        "in": "header",
        "name": "If-Match",
        "required": False,
        "description": 'The ETag (plan version, e.g. `"7"`) the command was decided on; 412 if stale.',
        "schema": {"type": "string"},
    },
    "IdempotencyKey": {
        "in": "header",
        "name": "Idempotency-Key",
        "required": False,
        "description": "Retry key: the same key and body returns the first answer and writes nothing more.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    },
}
RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "string"}}
}
ETAG_HEADER = {
    "ETag": {"description": "The plan's version after this request", "schema": {"type": "string"}}
}


class CareerPlanApi(Api):
    """flask-smorest's Api with problem+json errors (schema, content type and handlers)."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = {"extra_plugins": [OperationsPlugin()], **(spec_kwargs or {})}
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def _register_error_handlers(self):
        register_error_handlers(self._app)

    def handle_http_exception(self, error):
        return http_problem(error)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": DESCRIPTIONS.get(status, status.phrase)}
            if status == http.HTTPStatus.TOO_MANY_REQUESTS:
                response["headers"] = RETRY_AFTER_HEADER
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


SPEC_OPTIONS = {
    "info": {
        "description": DESCRIPTION,
        "contact": {"name": "Career plan API support", "email": "api@careerplan.example"},
        "license": {"name": "Proprietary"},
    },
    "servers": [{"url": "/", "description": "This server"}],
    "security": [{"bearer": []}],
}


def document_schemas(api: Api) -> None:
    """Name the schemas only a description refers to (a digest's content is one of three)."""
    for name, schema in CONTENT_SCHEMAS.items():
        api.spec.components.schema(name, schema=schema)


def document_security(api: Api) -> None:
    """Declare the bearer scheme (required everywhere unless an operation says otherwise) and headers."""
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "An API key: `cp_…`"}
    )
    for name, parameter in HEADER_PARAMETERS.items():
        api.spec.components.parameter(
            name, parameter["in"], {k: v for k, v in parameter.items() if k != "in"}
        )
