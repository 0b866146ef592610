"""ETags on every read under /v1, and 304 Not Modified when the caller's copy is still current.

A read that set no ETag of its own (the plan and the as-of plan answer their
version) gets a weak ETag: a hash of the answer's body, so roadmap,
momentum and caseload, which change with `today` as well as with the events,
change their ETag exactly when their answer changes. A GET or HEAD whose
`If-None-Match` names the current ETag is answered 304 with no body.
Streamed answers (the export) are left alone.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request

READS = ("GET", "HEAD")


def tag_and_compare(response: Response) -> Response:
    """Add the ETag to a successful JSON read; turn it into a 304 when If-None-Match matches."""
    if (
        request.method not in READS
        or not request.path.startswith("/v1/")
        or response.status_code != 200
        or response.is_streamed
        or not response.is_json
    ):
        return response
    if "ETag" not in response.headers:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32], weak=True)
    return response.make_conditional(request)


def install(app: Flask) -> None:
    app.after_request(tag_and_compare)
