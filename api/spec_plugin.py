"""The document's post-processing step: every operation's errors, HTTP details, examples, clean enums.

An apispec plugin that walks each operation as its blueprint is registered,
so routes added later get the same: 401 on every /v1 operation (the bearer
key), 403 on every command (an auditor key reads only) and on the reads
`ROLE_READS` names, 404 where the path names a resource, 400 and 415 where a
JSON body is taken, 409 on every command and 412 where it takes If-Match, 422
where input is validated (a body or query parameters), 429 everywhere on
/v1. Each refers to a shared problem+json response in the components. It
also documents the HTTP details every operation shares: ETag, If-None-Match
and 304 on JSON reads, Location on 201 and 202; merges the other content
types an operation declares beside its JSON; adds the seed's examples
(`api.spec_examples`); and writes nullable enums as generators read them
best (`api.spec_nullable`), in operations and in component schemas.
"""

from __future__ import annotations

from apispec import BasePlugin

from api.spec_examples import REQUESTS, answers
from api.spec_nullable import split_nullable_enums

SAFE = ("get", "head", "options")
# An operation's other content types of a status, beside the JSON its schema declares:
# `@blp.doc(**{ALTERNATIVE_CONTENT: {"200": {"text/html": {...}}}})`.
ALTERNATIVE_CONTENT = "x-alternative-content"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
# Reads that need a role; every command needs admin or coach (an auditor reads only).
ROLE_READS = frozenset(
    {
        "listKeys",
        "listWebhooks",
        "listWebhookDeliveries",
        "getAlignmentSweep",
        "verifyOrganisationHistory",
        "exportClientHistory",
    }
)
DESCRIPTIONS = {
    400: "`invalid_json`, `control_character` or a bad header: the request cannot be read",
    401: "`missing_api_key` or `invalid_api_key`: send a working key as `Authorization: Bearer`",
    403: "`forbidden_for_role`: this key's role may not do this",
    404: "`not_found` (or the domain's code): nothing of that id within the key's reach",
    409: "A rule of the plan refused the command, or the plan changed meanwhile (`concurrent_change`)",
    412: "`stale_version`: the plan is no longer at the If-Match version; the ETag says where it is",
    415: "`unsupported_media_type`: send the body as `Content-Type: application/json`",
    422: "`validation_failed` (field errors in `errors`) or a value the plan refuses",
    429: "`rate_limited`: too many requests for this key; retry after `Retry-After` seconds",
}
LOCATION_HEADER = {
    "description": "Where the new thing (or the accepted work's status) is",
    "schema": {"type": "string"},
}
READ_ETAG_HEADER = {
    "description": "Identifies this answer: send it back in If-None-Match to get 304 while it holds",
    "schema": {"type": "string"},
}
NOT_MODIFIED = {"description": "Not Modified: the If-None-Match ETag is still current (no body)"}
RESPONSE_NAMES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    412: "PRECONDITION_FAILED",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "UNPROCESSABLE_ENTITY",
    429: "TOO_MANY_REQUESTS",
}


def error_statuses(path: str, method: str, operation: dict) -> list[int]:
    """The error statuses `operation` (at `method path`) can answer with, by what it takes."""
    if not path.startswith("/v1/"):
        return []
    command = method not in SAFE
    parameters = [p for p in operation.get("parameters", ()) if isinstance(p, (dict, str))]
    takes_if_match = any(
        p == "IfMatch" or (isinstance(p, dict) and p.get("name") == "If-Match") for p in parameters
    )
    takes_query = any(isinstance(p, dict) and p.get("in") == "query" for p in parameters)
    takes_body = "requestBody" in operation
    found = {429} if operation.get("security") == [] else {401, 429}  # a feed needs no key
    if command or operation.get("operationId") in ROLE_READS:
        found.add(403)
    if "{" in path:
        found.add(404)
    if takes_body:
        found |= {400, 415, 422}
    if command:
        found.add(409)
    if takes_if_match:
        found.add(412)
    if takes_query:
        found.add(422)
    return sorted(found)


class OperationsPlugin(BasePlugin):
    """Completes each operation: errors it does not declare itself, HTTP details, examples, enums."""

    def schema_helper(self, name, definition, **kwargs):
        split_nullable_enums(definition)

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method not in METHODS:
                continue
            split_nullable_enums(operation.get("parameters", []))
            responses = operation.setdefault("responses", {})
            for status, content in operation.pop(ALTERNATIVE_CONTENT, {}).items():
                response = responses.get(status) or responses[int(status)]
                response.setdefault("content", {}).update(content)
            for status in error_statuses(path or "", method, operation):
                responses.setdefault(str(status), RESPONSE_NAMES[status])
            if (path or "").startswith("/v1/"):
                _document_http_details(method, operation, responses)
            _add_examples(operation, responses)


def _add_examples(operation: dict, responses: dict) -> None:
    """The seed client's example of the request body and of the JSON answer (see api.spec_examples)."""
    name = operation.get("operationId")
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and name in REQUESTS:
        body.setdefault("example", REQUESTS[name])
    answer = answers().get(name)
    for status in ("200", 200):
        content = responses.get(status, {}) if answer is not None else {}
        if isinstance(content, dict) and "application/json" in content.get("content", {}):
            content["content"]["application/json"].setdefault("example", answer)


def _document_http_details(method: str, operation: dict, responses: dict) -> None:
    """ETag and If-None-Match (304) on reads, Location on 201 and 202 (see api.conditional, api.locations)."""
    for status, response in list(responses.items()):
        if not isinstance(response, dict):
            continue
        headers = response.setdefault("headers", {})
        if str(status) in ("201", "202"):
            headers.setdefault("Location", LOCATION_HEADER)
        if (
            method == "get"
            and str(status) == "200"
            and "application/json" in response.get("content", {})
        ):
            headers.setdefault("ETag", READ_ETAG_HEADER)
            parameters = operation.setdefault("parameters", [])
            if (
                "IfNoneMatch" not in parameters
            ):  # one 200 may be declared twice (by code and by doc)
                parameters.append("IfNoneMatch")
            responses.setdefault("304", NOT_MODIFIED)
        if not headers:
            del response["headers"]
