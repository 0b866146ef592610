"""RFC 9457 problem details: the one shape of every error this API answers with.

`type` is a stable URI per error code, `title` names the HTTP status, `detail`
says what went wrong in words a developer (or coach) can act on, `code` repeats
the stable code, and `errors` carries marshmallow's field errors by location.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from flask import Response, g
from marshmallow import Schema, fields

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://careerplan.dev/problems/"


class Problem(Exception):
    """A refusal raised by the API layer itself: authentication, roles, headers, idempotency."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.errors, self.headers = errors, headers or {}


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    errors: dict | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response; the request id is included so a report can be traced."""
    body = {
        "type": PROBLEM_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    if request_id := g.get("request_id"):
        body["request_id"] = request_id
    return Response(json.dumps(body), status=status, headers=headers or {}, mimetype=PROBLEM_JSON)


class ProblemSchema(Schema):
    """An error response (RFC 9457 problem details)."""

    type = fields.String(required=True, metadata={"description": "Stable URI naming the problem"})
    title = fields.String(required=True, metadata={"description": "The HTTP status in words"})
    status = fields.Integer(required=True)
    detail = fields.String(
        required=True, metadata={"description": "What went wrong and what to do"}
    )
    code = fields.String(
        required=True, metadata={"description": "Stable code, the last part of `type`"}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String()),
        metadata={
            "description": "Field errors by location (json, query, headers): under each, the "
            "field's name and its messages (a list of strings), nested as the input nests"
        },
    )
    request_id = fields.String(metadata={"description": "The request's X-Request-ID"})
