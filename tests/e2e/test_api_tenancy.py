"""Tenant isolation, proved over every route of the served OpenAPI document.

Organisation B's admin key gets 404 (never 403, never 2xx) on organisation
A's resources, whatever the body; a coach key cannot reach another coach's
client; an auditor reads and never commands. A route added later without a
place in this test fails it, so no route escapes the check.
"""

from __future__ import annotations

import re
import uuid

import pytest
from seed_over_http import seed_digests_and_webhooks
from test_api_journey import drive_seed
from test_api_problems import assert_problem, versions

from api.spec_examples import PIVOT_TO_PRODUCT
from careerplan.seed_example import seed_id
from careerplan.seed_template import SEED_TEMPLATE_NAME, seed_template_body

# The calendar feed takes no key (its token is the credential): any key gets 404 for a bad token.
PUBLIC = {"/health", "/ready", "/metrics", "/v1/calendars/{token}.ics"}
OWN_ORGANISATION = {
    "/v1/clients",
    "/v1/keys",
    "/v1/me",
    "/v1/caseload",
    "/v1/digest-runs",
    "/v1/digests",
    "/v1/webhooks",
    "/v1/policy",
    "/v1/verification",
    "/v1/alignment-sweeps",
    "/v1/events",
    "/v1/exports",
    "/v1/coaches",
    "/v1/templates",
    "/v1/insights",
}  # collections: answer about the caller's own tenant
# Each path id that ties a resource to one organisation, and the problem B's key gets for A's resource.
# A new kind of resource adds its id here and a real one of A's to `world`.
SCOPING_IDS = {
    "client_id": "client_not_found",
    "key_id": "api_key_not_found",
    "run_id": "not_found",
    "digest_id": "not_found",
    "endpoint_id": "not_found",
    "day": "not_found",
    "coach_id": "coach_not_found",
    "template_id": "template_not_found",
}


@pytest.fixture
def world(admin_a, services):
    """Organisation A's seeded client (with an abandoned pivot and a review open) and one of A's keys."""
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    pivot = admin_a.post(f"/v1/clients/{client}/pivots", json=PIVOT_TO_PRODUCT).json["pivot_id"]
    admin_a.post(f"/v1/clients/{client}/pivots/{pivot}/abandon")
    review = admin_a.post(f"/v1/clients/{client}/reviews").json["review_id"]
    coach_key = services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    return {
        "client_id": client,
        "goal_id": seed_id(client, "goal", "system-design"),
        "milestone_id": seed_id(client, "milestone", "sketch"),
        "requirement_id": seed_id(client, "requirement", "design"),
        "review_id": review,
        "pivot_id": pivot,
        "key_id": coach_key.api_key.key_id,
        **seed_digests_and_webhooks(admin_a, services, client),
        "day": admin_a.post("/v1/alignment-sweeps").json["day"],  # A's sweep of today
        "coach_id": services.coaches.create(admin_a.organisation_id, "Ada Only-A").coach_id,
        "template_id": services.templates.create(
            admin_a.organisation_id, SEED_TEMPLATE_NAME, seed_template_body(), "test"
        ).template_id,
        "version": "1",
    }


def operations(http):
    """(method, path template) of every operation in the served document."""
    document = http.get("/openapi.json").json
    for path, item in document["paths"].items():
        for method in item:
            if method in ("get", "put", "post", "patch", "delete"):
                yield method.upper(), path


def fill(template: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: ids[match.group(1)], template)


def test_every_route_of_another_organisation_is_404(admin_a, admin_b, services, http, world):
    before = versions(services, world["client_id"])
    checked = []
    for method, template in operations(http):
        if template in PUBLIC or template in OWN_ORGANISATION:
            continue
        scoping = [name for name in SCOPING_IDS if f"{{{name}}}" in template]
        assert scoping, (
            f"{method} {template}: add its scoping id to SCOPING_IDS, or list it as public/own"
        )
        for body in (
            {},
            {"goal_id": world["goal_id"], "decision": "keep", "coach_id": "b", "reason": "x"},
        ):
            response = admin_b.request(method, fill(template, world), json=body)
            assert response.status_code == 404, (method, template, response.status_code)
            assert_problem(response, 404, SCOPING_IDS[scoping[0]])
        checked.append((method, template))

    assert len(checked) >= 20
    assert versions(services, world["client_id"]) == before
    assert services.tenancy.keys.get(admin_a.organisation_id, world["key_id"]).revoked_at is None


def test_collections_show_only_the_callers_organisation(admin_a, admin_b, services, world):
    services.projections.catch_up()
    assert world["client_id"] in {c["client_id"] for c in admin_a.get("/v1/clients").json["items"]}
    assert admin_b.get("/v1/clients").json["items"] == []
    assert world["key_id"] not in {k["key_id"] for k in admin_b.get("/v1/keys").json["items"]}
    assert admin_b.get("/v1/me").json["organisation_name"] == "Bright Careers"

    enrol_as_b = {
        "client_id": world["client_id"],
        "coach_id": "b",
        "display_name": "X",
        "timezone": "UTC",
    }
    assert_problem(admin_b.post("/v1/clients", json=enrol_as_b), 404, "client_not_found")


def test_a_coach_key_reaches_only_its_own_clients(admin_a, services, http, world):
    own = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    other = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    client = world["client_id"]  # coached by coach-1

    assert own.get(f"/v1/clients/{client}").status_code == 200
    for method, template in operations(http):
        if "{client_id}" in template:
            response = other.request(method, fill(template, world), json={})
            assert response.status_code == 404, (method, template, response.status_code)

    services.projections.catch_up()
    assert client in {c["client_id"] for c in own.get("/v1/clients").json["items"]}
    assert other.get("/v1/clients").json["items"] == []
    assert other.get("/v1/clients", query_string={"coach_id": "coach-1"}).json["items"] == []

    body = {"coach_id": "coach-1", "display_name": "X", "timezone": "UTC"}
    assert_problem(other.post("/v1/clients", json=body), 403, "forbidden_for_role")
    mine = other.post("/v1/clients", json={"display_name": "Own client", "timezone": "UTC"})
    assert (
        mine.status_code == 201
        and other.get(f"/v1/clients/{mine.json['client_id']}").json["coach_id"] == "coach-2"
    )

    assert own.put(f"/v1/clients/{client}/coach", json={"coach_id": "coach-2"}).status_code == 200
    assert own.get(f"/v1/clients/{client}").status_code == 404
    assert other.get(f"/v1/clients/{client}").status_code == 200


def test_an_auditor_reads_and_never_commands(admin_a, admin_b, services, world):
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    client = world["client_id"]
    before = versions(services, client)

    assert auditor.get(f"/v1/clients/{client}").status_code == 200
    assert auditor.get("/v1/clients").status_code == 200
    assert_problem(
        auditor.put(f"/v1/clients/{client}/coach", json={"coach_id": "x"}),
        403,
        "forbidden_for_role",
    )
    assert_problem(
        auditor.post("/v1/clients", json={"coach_id": "x", "display_name": "X", "timezone": "UTC"}),
        403,
        "forbidden_for_role",
    )
    assert_problem(auditor.get("/v1/keys"), 403, "forbidden_for_role")
    assert versions(services, client) == before

    other_auditor = admin_b.with_key(
        services.tenancy.keys.issue(admin_b.organisation_id, "auditor")
    )
    assert_problem(
        other_auditor.put(f"/v1/clients/{client}/coach", json={"coach_id": "x"}),
        404,
        "client_not_found",
    )
