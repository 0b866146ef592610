"""Every failure mapped to a problem response, in this one place.

Bad input is 400 (unreadable) or 422 (invalid, with field errors); a domain
refusal is 404 (`NotFound`), 422 (`InvalidValue`) or 409 (`RuleViolation`); a
stale version is 412 when the caller sent If-Match, else 409. A database
that cannot be reached (connection refused or dropped, pool exhausted) is a
503 with Retry-After: the same process answers again once it is back. Anything
unexpected is a bare 500 that leaks nothing. None of these paths writes.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from api.problems import Problem, problem_response
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from services.errors import (
    DATABASE_UNAVAILABLE,
    ConcurrencyConflict,
    EventIdReused,
    database_unavailable,
)
from services.privacy.client_keys import WrongMasterKey
from services.webhooks.targets import WebhookTargetRefused

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "2"

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    503: "service_unavailable",
}


def http_problem(error: HTTPException):
    """Werkzeug and webargs errors: routing, body size, unreadable or invalid input."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    if status == 400 and messages:
        return problem_response(
            400, "invalid_json", "the request body is not valid JSON", headers=headers
        )
    if status == 422 and messages:
        detail = "the request does not match its schema: see `errors` for each field"
        return problem_response(422, "validation_failed", detail, errors=messages, headers=headers)
    code = _HTTP_CODES.get(status, "http_error")
    return problem_response(
        status, code, error.description or code.replace("_", " "), headers=headers
    )


def api_problem(error: Problem):
    return problem_response(
        error.status, error.code, error.detail, errors=error.errors, headers=error.headers
    )


def domain_problem(error: DomainError):
    """The career plan refused the command (or the thing named does not exist)."""
    if isinstance(error, NotFound):
        status = 404
    elif isinstance(error, RuleViolation):
        status = 409
    else:
        status = 422 if isinstance(error, InvalidValue) else 400
    field = getattr(error, "field", None)  # a refusal that names the request field it is about
    errors = {"json": {field: [error.message]}} if field else None
    return problem_response(status, error.code, error.message, errors=errors)


def conflict_problem(error: ConcurrencyConflict):
    """Someone else changed the plan first: 412 against the caller's If-Match, else 409."""
    status, code = (
        (412, "stale_version") if "If-Match" in request.headers else (409, "concurrent_change")
    )
    detail = (
        f"the client's plan is at version {error.actual_version}, not {error.expected_version}: "
        "read it again (GET returns the ETag) and decide again"
    )
    return problem_response(status, code, detail, headers={"ETag": f'"{error.actual_version}"'})


def reused_event_problem(error: EventIdReused):
    detail = "this Idempotency-Key was already used for a different command on this client"
    return problem_response(422, "idempotency_key_reused", detail)


def webhook_target_problem(error: WebhookTargetRefused):
    """A webhook URL the workers may not reach (not HTTPS, or not a public address): nothing is stored."""
    return problem_response(422, error.code, str(error))


def master_key_problem(error: WrongMasterKey):
    """Data sealed under another MASTER_KEY than the configured one: an operator's matter, one log line."""
    log.error("MASTER_KEY mismatch on %s %s: %s", request.method, request.path, error)
    detail = "the server cannot open this data with its configured key; the request id identifies the failure"
    return problem_response(500, "master_key_mismatch", detail)


def database_problem(error: Exception):
    """The database is unreachable or its connection dropped: 503, retry shortly.

    A transaction cut off mid-way is rolled back by the database; a commit whose
    answer was lost may have landed, which is what Idempotency-Key retries are for.
    """
    if not database_unavailable(error):
        return unexpected_problem(error)
    log.warning(
        "database unavailable on %s %s: %s", request.method, request.path, type(error).__name__
    )
    detail = (
        "the service cannot reach its database at the moment; retry after a few seconds "
        "(send a command again with the same Idempotency-Key so that it is applied once)"
    )
    return problem_response(
        503, "database_unavailable", detail, headers={"Retry-After": RETRY_AFTER_SECONDS}
    )


def unexpected_problem(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(
        500, "internal_error", "the server failed to answer; the request id identifies it"
    )


def register_error_handlers(app: Flask) -> None:
    """Install the mapping (flask-smorest's HTTPException handler is `http_problem` too)."""
    app.register_error_handler(HTTPException, http_problem)
    app.register_error_handler(Problem, api_problem)
    app.register_error_handler(DomainError, domain_problem)
    app.register_error_handler(ConcurrencyConflict, conflict_problem)
    app.register_error_handler(EventIdReused, reused_event_problem)
    app.register_error_handler(WebhookTargetRefused, webhook_target_problem)
    app.register_error_handler(WrongMasterKey, master_key_problem)
    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, database_problem)
    app.register_error_handler(Exception, unexpected_problem)
