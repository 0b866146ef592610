"""415 for a body that is not JSON: every /v1 operation that takes a body takes JSON.

Without this check a form or text body reached webargs as "no JSON", so a
command whose fields are all optional ran as if nothing was sent, and one
with required fields answered 422 about missing fields. Now a request that
carries a body without `Content-Type: application/json` (or a `+json` type)
is refused with 415 `unsupported_media_type` before the view runs, and
writes nothing. A command sent with no body at all (a `NoBodySchema` one,
such as resuming a goal) is unaffected. It runs after authentication and
scope, so a caller without a key still learns that first (401), and one
outside the resource's organisation 404.
"""

from __future__ import annotations

from flask import Flask, request

from api.problems import Problem

BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def json_or_nothing() -> None:
    """415 when a /v1 command carries a body that is not declared as JSON."""
    if request.method not in BODY_METHODS or not request.path.startswith("/v1/"):
        return
    if not request.get_data(cache=True) or request.is_json:
        return
    sent = request.mimetype or "no Content-Type"
    raise Problem(
        415,
        "unsupported_media_type",
        f"the body was sent as {sent}: send it as JSON, with `Content-Type: application/json`",
    )


def install(app: Flask) -> None:
    """Check after authentication and scope, before the Idempotency-Key claim and the view."""
    app.before_request(json_or_nothing)
