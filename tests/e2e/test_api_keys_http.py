"""Managing API keys over HTTP: admins issue, list, rotate and revoke; keys are shown once."""

from __future__ import annotations

from test_api_problems import assert_problem


def test_an_admin_issues_lists_rotates_and_revokes_keys(admin_a, http):
    issued = admin_a.post("/v1/keys", json={"role": "coach", "coach_id": "coach-3"})
    assert issued.status_code == 201 and issued.json["key"].startswith(issued.json["prefix"])
    coach = type(admin_a)(http, issued.json["key"])
    assert coach.get("/v1/me").json["coach_id"] == "coach-3"

    listed = admin_a.get("/v1/keys").json["items"]
    assert {k["role"] for k in listed} == {"admin", "coach"}
    assert all("key" not in k for k in listed)
    assert next(k for k in listed if k["role"] == "coach")["last_used_at"] is not None

    rotated = admin_a.post(f"/v1/keys/{issued.json['key_id']}/rotate")
    assert (
        rotated.status_code == 201
        and rotated.json["role"] == "coach"
        and rotated.json["coach_id"] == "coach-3"
    )
    assert_problem(coach.get("/v1/me"), 401, "invalid_api_key")
    successor = type(admin_a)(http, rotated.json["key"])
    assert successor.get("/v1/me").status_code == 200

    revoked = admin_a.delete(f"/v1/keys/{rotated.json['key_id']}")
    assert revoked.status_code == 200 and revoked.json["revoked_at"] is not None
    assert_problem(successor.get("/v1/me"), 401, "invalid_api_key")
    assert_problem(
        admin_a.post(f"/v1/keys/{rotated.json['key_id']}/rotate"), 409, "api_key_revoked"
    )


def test_only_admins_manage_keys_and_the_last_admin_key_stays(admin_a, http):
    coach = type(admin_a)(
        http, admin_a.post("/v1/keys", json={"role": "coach", "coach_id": "coach-1"}).json["key"]
    )
    assert_problem(coach.get("/v1/keys"), 403, "forbidden_for_role")
    assert_problem(coach.post("/v1/keys", json={"role": "admin"}), 403, "forbidden_for_role")

    assert_problem(admin_a.post("/v1/keys", json={"role": "coach"}), 422, "invalid_key_role")
    assert_problem(admin_a.post("/v1/keys", json={"role": "owner"}), 422, "validation_failed")
    assert_problem(admin_a.delete(f"/v1/keys/{admin_a.key_id}"), 409, "last_admin_key")
