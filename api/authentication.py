"""Authentication: the bearer key to the caller, the one value a request keeps in `flask.g`.

Runs before any view parses the body. A request on a client resolves its key
together with what it reaches of that client (owner, and view for a read) in
one service call, one statement (`services.access.request_access`); `scope`
then judges that reach. Roles are checked by the resources with `require_role`. A calendar feed's URL
(`FEED_RULE`) is the one /v1 route that takes no key: its token is its credential.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from api.problems import Problem
from services.access.api_key_records import Principal
from services.access.request_access import Caller

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
API_PREFIX = "/v1/"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="careerplan"'}
# The one /v1 route without a bearer key: calendar apps subscribe to a feed's URL and send
# no Authorization header, so the token in the path is the credential (services.calendars).
FEED_RULE = "/v1/calendars/<token>.ics"


def is_public() -> bool:
    """True for a request on a route that takes no bearer key (a calendar feed)."""
    return request.url_rule is not None and request.url_rule.rule == FEED_RULE


def caller() -> Caller:
    """The authenticated caller of this request, with what its first read found of the client it names."""
    return g.caller


def principal() -> Principal:
    """Who is calling this request: key, organisation, role and coach."""
    return g.caller.principal


def principal_if_any() -> Principal | None:
    """The caller, for hooks that also run on requests nobody authenticated (health, refusals)."""
    found = g.get("caller")
    return found.principal if found is not None else None


def require_role(*roles: str) -> Principal:
    """The caller, if their key has one of `roles`; 403 otherwise (their own organisation's resource)."""
    who = principal()
    if who.role not in roles:
        raise Problem(
            403,
            "forbidden_for_role",
            f"a {who.role} key cannot do this; it needs "
            + " or ".join(f"an {r}" if r[0] in "aeiou" else f"a {r}" for r in roles)
            + " key",
        )
    return who


def authenticate() -> None:
    """Resolve `Authorization: Bearer <key>` to the caller; 401 when missing, unknown or revoked."""
    if not request.path.startswith(API_PREFIX) or request.method == "OPTIONS" or is_public():
        return
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Problem(
            401,
            "missing_api_key",
            "send an API key as `Authorization: Bearer <key>`",
            headers=_CHALLENGE,
        )
    client_id = (request.view_args or {}).get("client_id")
    found = current_app.extensions["careerplan"].tenancy.access.caller(
        key.strip(),
        None if client_id is None else str(client_id),
        read=request.method in SAFE_METHODS,
    )
    if found is None:
        raise Problem(
            401, "invalid_api_key", "the API key is unknown or revoked", headers=_CHALLENGE
        )
    g.caller = found


def install(app: Flask) -> None:
    app.before_request(authenticate)
