"""Coaches as records over HTTP: the roster, the rule that a client's coach is an active one, tenancy."""

from __future__ import annotations

import uuid

from polling import eventually
from test_api_problems import assert_problem, versions


def enrol(caller, coach_id, client_id=None):
    body = {"display_name": "Sam Rivera", "timezone": "Europe/Berlin"}
    if coach_id is not None:
        body["coach_id"] = coach_id
    if client_id is not None:
        body["client_id"] = client_id
    return caller.post("/v1/clients", json=body)


def test_an_admin_creates_reads_lists_and_updates_coaches(admin_a):
    created = admin_a.post(
        "/v1/coaches", json={"name": "Maria Okafor", "email": "Maria@Acme.example"}
    )
    assert created.status_code == 201, created.json
    coach = created.json
    assert created.headers["Location"] == f"/v1/coaches/{coach['coach_id']}"
    assert uuid.UUID(coach["coach_id"]) and coach["active"] is True
    assert coach["email"] == "maria@acme.example" and coach["created_at"].endswith("+00:00")
    assert admin_a.get(f"/v1/coaches/{coach['coach_id']}").json == coach

    named = admin_a.post("/v1/coaches", json={"coach_id": "coach-maria-b", "name": "Maria B"})
    assert named.status_code == 201 and named.json["coach_id"] == "coach-maria-b"

    listed, cursor, pages = [], "", 0
    while cursor is not None:
        found = admin_a.get(
            f"/v1/coaches?limit=2&cursor={cursor}" if cursor else "/v1/coaches?limit=2"
        )
        listed += [c["coach_id"] for c in found.json["items"]]
        cursor, pages = found.json["next_cursor"], pages + 1
    everyone = ["coach-1", "coach-2", "coach-3", "coach-maria-b", coach["coach_id"]]
    assert listed == sorted(everyone) and pages == 3

    patched = admin_a.patch(
        f"/v1/coaches/{coach['coach_id']}", json={"name": "Maria Okafor-Hale", "active": False}
    )
    assert patched.status_code == 200
    assert (patched.json["name"], patched.json["active"]) == ("Maria Okafor-Hale", False)
    assert patched.json["email"] == "maria@acme.example"  # left out: kept
    inactive = admin_a.get("/v1/coaches?active=false").json["items"]
    assert [c["coach_id"] for c in inactive] == [coach["coach_id"]]
    assert coach["coach_id"] not in {
        c["coach_id"] for c in admin_a.get("/v1/coaches?active=true").json["items"]
    }


def test_coach_ids_and_emails_are_unique_in_the_organisation(admin_a, admin_b):
    assert_problem(
        admin_a.post("/v1/coaches", json={"coach_id": "coach-1", "name": "X"}), 409, "coach_exists"
    )
    admin_a.post("/v1/coaches", json={"name": "Ann", "email": "ann@acme.example"})
    taken = admin_a.post("/v1/coaches", json={"name": "Ann 2", "email": "ANN@acme.example"})
    assert_problem(taken, 409, "coach_email_taken")
    assert_problem(
        admin_a.patch("/v1/coaches/coach-1", json={"email": "ann@acme.example"}),
        409,
        "coach_email_taken",
    )
    # Another organisation may use the same email and id.
    assert (
        admin_b.post("/v1/coaches", json={"name": "Ann", "email": "ann@acme.example"}).status_code
        == 201
    )
    assert_problem(
        admin_a.post("/v1/coaches", json={"name": "Bo", "email": "not-an-email"}),
        422,
        "validation_failed",
    )
    assert_problem(admin_a.post("/v1/coaches", json={"name": ""}), 422, "validation_failed")
    assert_problem(
        admin_a.post("/v1/coaches", json={"coach_id": "a/b", "name": "B"}), 422, "validation_failed"
    )


def test_a_client_is_enrolled_and_reassigned_only_to_an_active_coach_of_the_organisation(
    admin_a, admin_b, services
):
    client = str(uuid.uuid4())
    unknown = assert_problem(enrol(admin_a, "coach-typo", client), 422, "coach_not_found")
    assert unknown["errors"] == {"json": {"coach_id": [unknown["detail"]]}}
    assert versions(services, client) == 0

    admin_b.post("/v1/coaches", json={"coach_id": "coach-only-b", "name": "B's coach"})
    assert_problem(enrol(admin_a, "coach-only-b", client), 422, "coach_not_found")
    assert versions(services, client) == 0

    assert enrol(admin_a, "coach-1", client).status_code == 201
    admin_a.patch("/v1/coaches/coach-2", json={"active": False})
    before = versions(services, client)
    inactive = admin_a.put(f"/v1/clients/{client}/coach", json={"coach_id": "coach-2"})
    assert assert_problem(inactive, 422, "coach_inactive")["errors"]["json"]["coach_id"]
    assert_problem(
        admin_a.put(f"/v1/clients/{client}/coach", json={"coach_id": "nobody"}),
        422,
        "coach_not_found",
    )
    assert versions(services, client) == before
    assert_problem(enrol(admin_a, "coach-2"), 422, "coach_inactive")

    moved = admin_a.put(f"/v1/clients/{client}/coach", json={"coach_id": "coach-3"})
    assert moved.status_code == 200 and versions(services, client) == before + 1


def test_a_coach_key_is_bound_to_an_active_coach_and_sees_itself_and_its_clients_only(
    admin_a, services, http
):
    assert_problem(
        admin_a.post("/v1/keys", json={"role": "coach", "coach_id": "coach-typo"}),
        422,
        "coach_not_found",
    )
    issued = admin_a.post("/v1/keys", json={"role": "coach", "coach_id": "coach-1"})
    coach = type(admin_a)(http, issued.json["key"])
    other = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )

    assert [c["coach_id"] for c in coach.get("/v1/coaches").json["items"]] == ["coach-1"]
    assert coach.get("/v1/coaches/coach-1").json["name"] == "Coach coach-1"
    assert_problem(coach.get("/v1/coaches/coach-2"), 404, "coach_not_found")
    assert_problem(coach.patch("/v1/coaches/coach-2", json={"name": "X"}), 404, "coach_not_found")
    assert_problem(
        coach.patch("/v1/coaches/coach-1", json={"name": "X"}), 403, "forbidden_for_role"
    )
    assert_problem(coach.post("/v1/coaches", json={"name": "X"}), 403, "forbidden_for_role")

    mine = enrol(coach, None).json["client_id"]  # a coach key enrols for its own coach
    theirs = enrol(admin_a, "coach-2").json["client_id"]
    assert coach.get(f"/v1/clients/{mine}").json["coach_id"] == "coach-1"
    assert_problem(coach.get(f"/v1/clients/{theirs}"), 404, "client_not_found")
    assert other.get(f"/v1/clients/{theirs}").status_code == 200
    # The list reads the views (refreshed to the feed's head, which other writers may hold back).
    assert eventually(
        lambda: {c["client_id"] for c in coach.get("/v1/clients").json["items"]} == {mine}
    )

    # Deactivating coach-1 revokes its keys at once; its client stays assigned to it.
    admin_a.patch("/v1/coaches/coach-1", json={"active": False})
    assert_problem(coach.get("/v1/me"), 401, "invalid_api_key")
    assert admin_a.get(f"/v1/clients/{mine}").json["coach_id"] == "coach-1"
    assert_problem(
        admin_a.post("/v1/keys", json={"role": "coach", "coach_id": "coach-1"}),
        422,
        "coach_inactive",
    )
    assert other.get("/v1/me").status_code == 200
    admin_a.patch("/v1/coaches/coach-1", json={"active": True})
    assert_problem(coach.get("/v1/me"), 401, "invalid_api_key")  # reactivating brings no key back


def test_auditors_read_the_roster_and_other_organisations_get_404(admin_a, admin_b, services):
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    assert len(auditor.get("/v1/coaches").json["items"]) == 3
    assert auditor.get("/v1/coaches/coach-1").status_code == 200
    assert_problem(auditor.post("/v1/coaches", json={"name": "X"}), 403, "forbidden_for_role")

    only_a = admin_a.post("/v1/coaches", json={"name": "Only A"}).json["coach_id"]
    assert_problem(admin_b.get(f"/v1/coaches/{only_a}"), 404, "coach_not_found")
    assert_problem(
        admin_b.patch(f"/v1/coaches/{only_a}", json={"active": False}), 404, "coach_not_found"
    )
    assert_problem(
        admin_b.patch(f"/v1/coaches/{only_a}", json={"active": "?"}), 404, "coach_not_found"
    )
    assert only_a not in {c["coach_id"] for c in admin_b.get("/v1/coaches").json["items"]}
    assert admin_a.get(f"/v1/coaches/{only_a}").json["active"] is True
