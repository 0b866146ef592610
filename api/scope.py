"""Scope: may this caller reach what the request names? Decided before any view parses the body.

Another organisation's client (or a client of another coach, for a coach
key) is 404 whatever is sent, exactly like a client that does not exist; so
is another organisation's key. An auditor reads and never commands (403).
A read whose client view lagged the events has it refreshed first by the
client-views service (read-your-writes), and the caller keeps the view read.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from api.authentication import SAFE_METHODS, require_role
from api.problems import Problem
from services.coaches.records import CoachNotFound
from services.plans import ClientNotFound
from services.webhooks.endpoints import endpoint_of


def scope_to_caller() -> None:
    """404 for a client (or key, coach or template) outside the caller's reach; 403 for an auditor's command."""
    found = g.get("caller")
    if found is None:
        return
    services = current_app.extensions["careerplan"]
    view_args = request.view_args or {}
    if "key_id" in view_args:
        services.tenancy.keys.get(
            found.principal.organisation_id, str(view_args["key_id"])
        )  # KeyNotFound: 404
    if "endpoint_id" in view_args:
        endpoint_id = str(view_args["endpoint_id"])
        if endpoint_of(services.engine, found.principal.organisation_id, endpoint_id) is None:
            raise Problem(404, "not_found", f"webhook endpoint {endpoint_id} was not found")
    if "template_id" in view_args:  # TemplateNotFound: 404, before a body is read
        services.templates.check(found.principal.organisation_id, str(view_args["template_id"]))
    if (coach_id := view_args.get("coach_id")) is not None:
        who = found.principal
        if who.role == "coach" and coach_id != who.coach_id:
            raise CoachNotFound(f"this organisation has no coach {coach_id!r}")
        services.coaches.get(who.organisation_id, coach_id)  # CoachNotFound: 404
    client_id = view_args.get("client_id")
    if client_id is not None:
        reach = services.views.current(found.reach)  # authentication read it with the key
        if not found.may_reach(reach.owner):
            raise ClientNotFound(f"client {client_id} was not found")
        if reach is not found.reach:  # refreshed: the caller keeps the view as now read
            g.caller = found.reaching(reach)
    if found.principal.role == "auditor" and request.method not in SAFE_METHODS:
        require_role("admin", "coach")


def install(app: Flask) -> None:
    app.before_request(scope_to_caller)
