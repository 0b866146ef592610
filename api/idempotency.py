"""Idempotency-Key on commands: a retry gets the first answer back and writes nothing more.

Before the view runs, the key is claimed for this organisation with a
fingerprint of the request (method, path and body). A retry with the same
fingerprint gets the stored answer, marked `Idempotent-Replayed: true`; the
same key with another request is a 422. After the view, a success is kept
for later retries and anything else releases the key. Issuing a calendar feed
is left out: its answer holds the feed's secret URL, which is never stored
(a retry simply rotates the URL again). A database out of reach when the key
is settled leaves the answer as it is (the command's outcome stands) and the
key claimed until a retry takes it over (IDEMPOTENCY_TAKEOVER_S), which then
replays the stored events: never a 500 in place of a 2xx or a 503.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, request

from api.authentication import SAFE_METHODS, principal_if_any
from api.problems import Problem
from services.access.idempotency import CLAIMED, IN_PROGRESS, MISMATCH, StoredResponse
from services.errors import DATABASE_UNAVAILABLE, database_unavailable

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
COMMAND_PREFIX = "/v1/clients"
SECRET_ANSWER_SUFFIX = "/calendar"  # POST /v1/clients/{id}/calendar answers a feed URL: never kept
_KEPT_HEADERS = ("Content-Type", "ETag", "Location")
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def _requests():
    return current_app.extensions["careerplan"].tenancy.idempotency


def fingerprint() -> str:
    """SHA-256 of method, path and body (JSON compared by value, not by spacing or key order)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = raw
    head = f"{request.method} {request.full_path.rstrip('?')}\n".encode()
    return hashlib.sha256(head + body).hexdigest()


def claim_key():
    """Claim the request's key, or answer from the earlier request that used it."""
    key = request.headers.get(HEADER)
    caller = principal_if_any()
    if (
        key is None
        or caller is None
        or request.method in SAFE_METHODS
        or not request.path.startswith(COMMAND_PREFIX)
        or request.path.endswith(SECRET_ANSWER_SUFFIX)
    ):
        return None
    if not _KEY.fullmatch(key):
        raise Problem(
            400,
            "invalid_idempotency_key",
            "an Idempotency-Key is 1 to 255 visible ASCII characters, such as a UUID",
        )
    claim = _requests().claim(caller.organisation_id, key, fingerprint())
    if claim.outcome == CLAIMED:
        g.idempotency_claim = (caller.organisation_id, key)
        return None
    if claim.outcome == MISMATCH:
        raise Problem(
            422,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request; use a new key for a new request",
        )
    if claim.outcome == IN_PROGRESS:
        raise Problem(
            409,
            "idempotent_request_in_progress",
            "a request with this Idempotency-Key is still running; retry shortly",
            headers={"Retry-After": "1"},
        )
    stored = claim.response
    return Response(
        stored.body, status=stored.status, headers={**stored.headers, "Idempotent-Replayed": "true"}
    )


def settle_key(response: Response) -> Response:
    """Keep a successful answer for retries; release the key after a refusal."""
    claimed = g.pop("idempotency_claim", None)
    if claimed is not None:
        with _unsettled_if_unreachable(response.status_code):
            if 200 <= response.status_code < 300:
                headers = {
                    name: response.headers[name]
                    for name in _KEPT_HEADERS
                    if name in response.headers
                }
                _requests().complete(
                    *claimed,
                    StoredResponse(response.status_code, response.get_data(as_text=True), headers),
                )
            else:
                _requests().release(*claimed)
    return response


def release_unsettled(_error=None) -> None:
    """A request that ended without a response (an escaped exception) gives its key back."""
    claimed = g.pop("idempotency_claim", None)
    if claimed is not None:
        with _unsettled_if_unreachable(None):
            _requests().release(*claimed)


@contextmanager
def _unsettled_if_unreachable(status: int | None):
    """Let the key stay claimed when the database is out of reach; any other failure propagates."""
    try:
        yield
    except DATABASE_UNAVAILABLE as error:
        if not database_unavailable(error):
            raise
        log.warning(
            "Idempotency-Key left claimed until taken over: database unavailable "
            "(answer %s, %s %s): %s",
            status,
            request.method,
            request.path,
            type(error).__name__,
        )


def install(app: Flask) -> None:
    app.before_request(claim_key)
    app.after_request(settle_key)
    app.teardown_request(release_unsettled)
