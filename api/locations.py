"""`Location` on every 201 Created and 202 Accepted: where the new thing (or the work's status) is.

One table, by the route's rule: the template is filled from the answer's
body and `{path}` (the request's path). A created goal, milestone,
requirement or check-in is addressed where its commands go; an alignment
check's findings, a digest run's or sweep's status where they are read. A
route that answers 201 or 202 must have its line here (a test holds every
such operation of the document to it).
"""

from __future__ import annotations

from flask import Flask, Response, request

CLIENT = "/v1/clients/<uuid:client_id>"
GOAL = f"{CLIENT}/goals/<uuid:goal_id>"
LOCATIONS = {
    "/v1/clients": "/v1/clients/{client_id}",
    f"{CLIENT}/requirements": "{path}/{requirement_id}",
    f"{CLIENT}/goals": "{path}/{goal_id}",
    f"{GOAL}/milestones": "{path}/{milestone_id}",
    f"{GOAL}/check-ins": "{path}/{check_in_id}",
    f"{CLIENT}/reviews": "{path}/{review_id}",
    f"{CLIENT}/pivots": "{path}/{pivot_id}",
    f"{CLIENT}/alignment-checks": "/v1/clients/{client_id}/findings",
    "/v1/coaches": "/v1/coaches/{coach_id}",
    "/v1/templates": "/v1/templates/{template_id}",
    "/v1/templates/<uuid:template_id>/versions": "{path}/{version[version]}",
    f"{CLIENT}/calendar": "{url}",
    "/v1/coaches/<coach_id>/calendar": "{url}",
    "/v1/keys": "/v1/keys/{key_id}",
    "/v1/keys/<uuid:key_id>/rotate": "/v1/keys/{key_id}",
    "/v1/webhooks": "/v1/webhooks/{endpoint_id}",
    "/v1/webhooks/<uuid:endpoint_id>/test": "/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}",
    "/v1/digest-runs": "/v1/digest-runs/{run_id}",
    "/v1/alignment-sweeps": "/v1/alignment-sweeps/{day}",
}


def add_location(response: Response) -> Response:
    """Set `Location` on a 201 or 202 that has none, from the route's template and the body."""
    if response.status_code not in (201, 202) or "Location" in response.headers:
        return response
    template = LOCATIONS.get(request.url_rule.rule if request.url_rule else "")
    body = response.get_json(silent=True) if response.is_json else None
    if template is None or not isinstance(body, dict):
        return response
    try:
        response.headers["Location"] = template.format(path=request.path, **body)
    except KeyError:  # the answer lacks the id: leave the header out rather than guess
        pass
    return response


def install(app: Flask) -> None:
    app.after_request(add_location)
