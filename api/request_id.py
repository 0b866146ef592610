"""X-Request-ID: taken from the caller when well formed, else generated; echoed on every response.

It becomes the correlation id of every event the request causes, so an
event can be traced back to the request (and the access log line) behind it.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._:\-]{1,128}")


def assign_request_id() -> None:
    supplied = request.headers.get(HEADER, "")
    g.request_id = supplied if _ACCEPTED.fullmatch(supplied) else str(uuid.uuid4())


def echo_request_id(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id") or str(uuid.uuid4())
    return response


def install(app: Flask) -> None:
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
