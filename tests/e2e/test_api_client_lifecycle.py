"""Client lifecycle over HTTP: change details, archive and reactivate, and the filtered, paginated list.

Reads across clients refresh the views first; on a PostgreSQL cluster shared
with other writers that refresh can stop short (the feed's watermark is
cluster-wide), so list and caseload checks wait with `eventually`.
"""

from __future__ import annotations

import uuid

import pytest
from polling import eventually
from test_api_journey import drive_seed
from test_api_problems import assert_problem, versions

from careerplan.seed_example import seed_id


@pytest.fixture
def client_id(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


def enrol(caller, coach_id: str = "coach-1", name: str = "Ada") -> str:
    client = str(uuid.uuid4())
    body = {"client_id": client, "coach_id": coach_id, "display_name": name, "timezone": "UTC"}
    assert caller.post("/v1/clients", json=body).status_code == 201
    return client


def listed_ids(caller, **query) -> dict[str, dict]:
    response = caller.get("/v1/clients", query_string={"limit": 200, **query})
    assert response.status_code == 200, response.json
    return {item["client_id"]: item for item in response.json["items"]}


def in_caseload(caller, client_id: str) -> bool:
    return client_id in {e["client_id"] for e in caller.get("/v1/caseload").json["items"]}


def test_patch_records_only_the_changed_details(admin_a, client_id):
    base = f"/v1/clients/{client_id}"
    before = admin_a.get(base).json
    changed = admin_a.patch(
        base,
        json={"display_name": "Sam E.", "timezone": before["timezone"], "review_cadence_months": 6},
    )
    assert changed.status_code == 200, changed.json
    assert [e["type"] for e in changed.json["events"]] == ["ClientDetailsChanged"]
    assert changed.headers["ETag"] == f'"{changed.json["version"]}"'
    plan = admin_a.get(base).json
    assert (plan["display_name"], plan["timezone"], plan["review_cadence_months"]) == (
        "Sam E.",
        before["timezone"],
        6,
    )
    history = admin_a.get(f"{base}/history", query_string={"limit": 100}).json["items"]
    [entry] = [e for e in history if e["type"] == "ClientDetailsChanged"]
    assert entry["data"] == {
        "occurred_at": entry["data"]["occurred_at"],
        "display_name": "Sam E.",
        "timezone": None,
        "review_cadence_months": 6,
    }
    assert (
        entry["description"]
        == "changed client details: display name 'Sam E.'; review every 6 months"
    )
    assert eventually(
        lambda: listed_ids(admin_a).get(client_id, {}).get("display_name") == "Sam E."
    )


def test_patch_that_changes_nothing_or_names_nothing_writes_nothing(admin_a, services, client_id):
    base = f"/v1/clients/{client_id}"
    version = versions(services, client_id)
    name = admin_a.get(base).json["display_name"]
    assert_problem(admin_a.patch(base, json={"display_name": name}), 422, "nothing_changed")
    assert_problem(admin_a.patch(base, json={}), 422, "validation_failed")
    assert_problem(admin_a.patch(base, json={"timezone": "Mars/Olympus"}), 422, "validation_failed")
    assert_problem(admin_a.patch(base, json={"status": "archived"}), 422, "validation_failed")
    assert versions(services, client_id) == version


def test_an_archived_client_is_readable_refuses_commands_and_can_be_reactivated(
    admin_a, services, client_id
):
    base = f"/v1/clients/{client_id}"
    archived = admin_a.post(f"{base}/archive", json={"reason": "parental leave"})
    assert archived.status_code == 200, archived.json
    assert [e["type"] for e in archived.json["events"]] == ["ClientArchived"]
    plan = admin_a.get(base).json
    assert plan["status"] == "archived" and plan["archived_at"].endswith("+00:00")

    version = versions(services, client_id)
    goal = seed_id(client_id, "goal", "system-design")
    refused = [
        admin_a.post(f"{base}/archive"),
        admin_a.patch(base, json={"timezone": "Europe/Paris"}),
        admin_a.put(f"{base}/coach", json={"coach_id": "coach-2"}),
        admin_a.post(f"{base}/reviews"),
        admin_a.post(f"{base}/goals/{goal}/check-ins", json={"value": 3, "confidence": 6}),
        admin_a.post(f"{base}/alignment-checks"),
    ]
    for response in refused:
        assert_problem(response, 409, "client_archived")
    assert versions(services, client_id) == version

    for path in ("", "/roadmap", "/momentum", "/history", "/export"):
        assert eventually(lambda: admin_a.get(f"{base}{path}").status_code == 200), path
    assert eventually(lambda: not in_caseload(admin_a, client_id))

    reactivated = admin_a.post(f"{base}/reactivate", json={"reason": "back"})
    assert reactivated.status_code == 200, reactivated.json
    assert admin_a.get(base).json["status"] == "active"
    assert admin_a.get(base).json["archived_at"] is None
    assert_problem(admin_a.post(f"{base}/reactivate"), 409, "client_not_archived")
    assert eventually(lambda: in_caseload(admin_a, client_id))


def test_an_admin_may_still_forget_an_archived_client(admin_a, client_id):
    assert admin_a.post(f"/v1/clients/{client_id}/archive").status_code == 200
    forgotten = admin_a.delete(f"/v1/clients/{client_id}")
    assert forgotten.status_code == 200 and forgotten.json["key_destroyed"]
    history = admin_a.get(f"/v1/clients/{client_id}/history", query_string={"limit": 100}).json[
        "items"
    ]
    [archived] = [e for e in history if e["type"] == "ClientArchived"]
    assert archived["erased"] == ["reason"]


def test_the_list_filters_by_status_coach_and_attention(admin_a, client_id):
    archived = enrol(admin_a, "coach-2", "Bo")
    quiet = enrol(admin_a, "coach-2", "Cy")
    assert admin_a.post(f"/v1/clients/{archived}/archive").status_code == 200

    def listed(**query) -> dict[str, str]:
        return {client: item["status"] for client, item in listed_ids(admin_a, **query).items()}

    assert eventually(
        lambda: listed() == {client_id: "active", archived: "archived", quiet: "active"}
    )
    assert listed(status="all") == listed()
    assert listed(status="active") == {client_id: "active", quiet: "active"}
    assert listed(status="archived") == {archived: "archived"}
    assert listed(coach_id="coach-2", status="active") == {quiet: "active"}
    # The seed's client has goals due and reviews falling due; a client without goals needs nothing.
    flagged = {e["client_id"] for e in admin_a.get("/v1/caseload").json["items"] if e["score"] > 0}
    assert set(listed(needs_attention="true")) == flagged & {client_id, quiet}
    assert set(listed(needs_attention="false")) == {client_id, archived, quiet} - flagged
    assert_problem(
        admin_a.get("/v1/clients", query_string={"status": "gone"}), 422, "validation_failed"
    )


def test_the_list_pages_round_trip_with_the_one_cursor(admin_a):
    enrolled = {enrol(admin_a, name=f"Client {n}") for n in range(5)}
    assert eventually(lambda: set(listed_ids(admin_a)) == enrolled)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = admin_a.get("/v1/clients", query_string=query)
        assert page.status_code == 200, page.json
        seen += [item["client_id"] for item in page.json["items"]]
        cursor, pages = page.json["next_cursor"], pages + 1
        if cursor is None:
            break
    assert seen == sorted(seen) and set(seen) == enrolled and pages == 3
    assert_problem(
        admin_a.get("/v1/clients", query_string={"cursor": "not-a-cursor"}),
        422,
        "validation_failed",
    )


def test_another_organisation_gets_404_on_the_new_routes(admin_a, admin_b, services, client_id):
    base = f"/v1/clients/{client_id}"
    version = versions(services, client_id)
    assert_problem(admin_b.patch(base, json={"timezone": "UTC"}), 404, "client_not_found")
    assert_problem(admin_b.post(f"{base}/archive"), 404, "client_not_found")
    assert_problem(admin_b.post(f"{base}/reactivate"), 404, "client_not_found")
    assert admin_b.get("/v1/clients", query_string={"status": "all"}).json["items"] == []
    assert versions(services, client_id) == version


def test_a_coach_key_manages_its_own_clients_only(admin_a, services, client_id):
    own = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    other = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    base = f"/v1/clients/{client_id}"
    version = versions(services, client_id)
    assert_problem(other.patch(base, json={"timezone": "UTC"}), 404, "client_not_found")
    assert_problem(other.post(f"{base}/archive"), 404, "client_not_found")
    assert_problem(other.post(f"{base}/reactivate"), 404, "client_not_found")
    assert_problem(auditor.post(f"{base}/archive"), 403, "forbidden_for_role")
    assert other.get("/v1/clients", query_string={"coach_id": "coach-1"}).json["items"] == []
    assert versions(services, client_id) == version

    assert own.post(f"{base}/archive").status_code == 200
    assert eventually(lambda: list(listed_ids(own, status="archived")) == [client_id])
    assert own.post(f"{base}/reactivate").status_code == 200
    assert own.patch(base, json={"review_cadence_months": 2}).status_code == 200


def test_archive_and_reactivate_need_no_body(admin_a, client_id):
    base = f"/v1/clients/{client_id}"
    headers = {"Authorization": f"Bearer {admin_a.key}"}
    assert admin_a.http.post(f"{base}/archive", headers=headers).status_code == 200
    assert admin_a.http.post(f"{base}/reactivate", headers=headers).status_code == 200
