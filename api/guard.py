"""Who is calling and what they may reach: the bearer key, its organisation, coach and role.

Runs before any view parses the body, so a refusal never depends on the
body: another organisation's client (or a client of another coach, for a
coach key) is 404 whatever is sent, exactly like a client that does not
exist. Roles are checked after that: an auditor reads, and never commands.

A request on a client looks its key up and finds the client's owner in one
statement (the view row carries organisation and coach); a read takes the
client's view in the same statement, refreshing the views first when the view
lags the client's events, and reads it back with `client_view()` instead of
reading it again.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, request

from api.problems import Problem
from services.access.api_keys import Principal
from services.access.client_access import OwnerAndView
from services.plans import ClientNotFound

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
API_PREFIX = "/v1/"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="careerplan"'}
log = logging.getLogger(__name__)


def principal() -> Principal:
    """The authenticated caller of this request."""
    return g.principal


def client_view(client_id: str) -> dict | None:
    """The view of the client this read request is scoped to, as read with its ownership check.

    None when the request is not a read of that client, or the client has no view yet.
    """
    view = g.get("client_view")
    return view if view is not None and view.get("client_id") == client_id else None


def require_role(*roles: str) -> Principal:
    """The caller, if their key has one of `roles`; 403 otherwise (their own organisation's resource)."""
    caller = principal()
    if caller.role not in roles:
        raise Problem(403, "forbidden_for_role", f"a {caller.role} key cannot do this; it needs "
                      + " or ".join(f"an {r}" if r[0] in "aeiou" else f"a {r}" for r in roles) + " key")
    return caller


def authenticate() -> None:
    """Resolve `Authorization: Bearer <key>` to a principal; 401 when missing, unknown or revoked."""
    if not request.path.startswith(API_PREFIX) or request.method == "OPTIONS":
        return
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Problem(401, "missing_api_key", "send an API key as `Authorization: Bearer <key>`",
                      headers=_CHALLENGE)
    tenancy = current_app.extensions["careerplan"].tenancy
    client_id = (request.view_args or {}).get("client_id")
    key_hash = tenancy.keys.lookup_digest(key.strip())
    # A request on one client reads its key and the client's owner (and view, to read) in one
    # statement; scope_to_caller takes them from here.
    if client_id is None or key_hash is None:
        caller = tenancy.keys.authenticate(key.strip())
    else:
        if request.method in SAFE_METHODS:
            row, g.client_found = tenancy.owners.key_and_owner_and_view(key_hash, str(client_id))
        else:
            row, g.client_owner = tenancy.owners.key_and_owner(key_hash, str(client_id))
        caller = tenancy.keys.caller(row)
    if caller is None:
        raise Problem(401, "invalid_api_key", "the API key is unknown or revoked", headers=_CHALLENGE)
    g.principal = caller


def scope_to_caller() -> None:
    """404 for a client (or key) outside the caller's reach; 403 for an auditor's command."""
    caller = g.get("principal")
    if caller is None:
        return
    tenancy = current_app.extensions["careerplan"].tenancy
    view_args = request.view_args or {}
    if "key_id" in view_args:
        tenancy.keys.get(caller.organisation_id, str(view_args["key_id"]))  # KeyNotFound: 404
    client_id = view_args.get("client_id")
    if client_id is not None:
        # authenticate() read them with the key.
        if request.method in SAFE_METHODS:
            owner, view = _owner_and_current_view(str(client_id), g.pop("client_found"))
        else:
            owner, view = g.pop("client_owner"), None
        if (owner is None or owner.organisation_id != caller.organisation_id
                or (caller.role == "coach" and owner.coach_id != caller.coach_id)):
            raise ClientNotFound(f"client {client_id} was not found")
        g.client_view = view
    if caller.role == "auditor" and request.method not in SAFE_METHODS:
        require_role("admin", "coach")


def _owner_and_current_view(client_id: str, found: OwnerAndView):
    """The client's owner and view as first `found`, the view brought up to the client's last event if it lags.

    Commands leave the views to whoever reads them next (or the follower): a
    read that finds its client's view behind the events refreshes the views,
    with every other client's pending events in the same batch (read-your-writes).
    """
    if found.behind is None:
        return found.owner, found.view
    refresh_views(found.behind)
    owners = current_app.extensions["careerplan"].tenancy.owners
    found = owners.owner_and_view(client_id)
    if found.behind is None:
        return found.owner, found.view
    # Still behind (the refresh waits on an older transaction, or the client is forgotten): the
    # events decide who may reach the client; the view, if any, is served as it stands.
    return owners.owner_from_events(client_id), found.view


def refresh_views(until) -> None:
    """Bring the read views up to `until` (a feed cursor) before a read, when they lag behind it.

    A refresh that fails is logged and the read goes on with the views as they
    stand: the events are safe, and the follower catches up.
    """
    try:
        current_app.extensions["careerplan"].projections.refresh_to(until)
    except Exception:  # noqa: BLE001
        log.exception("refreshing the views before a read failed; serving them as they stand")


def refresh_all_views() -> None:
    """Bring the read views up to the head of the feed before a read across clients (caseload, client lists)."""
    refresh_views(current_app.extensions["careerplan"].store.head())


def install(app: Flask) -> None:
    app.before_request(authenticate)
    app.before_request(scope_to_caller)
