"""Over HTTP: an auditor verifies histories and finds a tampered one; an admin forgets a client."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from tampering import as_database_owner, tables_holding
from test_api_journey import drive_seed
from test_api_problems import assert_problem

from careerplan.seed_example import GOAL_KEYS, seed_id


def enrolled(admin) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin, client)
    return client


def test_an_auditor_verifies_one_history_and_the_organisations(admin_a, admin_b, services):
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    client, other = enrolled(admin_a), enrolled(admin_a)
    enrolled(admin_b)  # another organisation's history is not counted

    one = auditor.get(f"/v1/clients/{client}/verification")
    assert one.status_code == 200, one.json
    assert one.json["intact"] and one.json["clients_checked"] == 1 and one.json["broken"] == []
    events = one.json["events_checked"]
    everything = auditor.get("/v1/verification").json
    assert everything["intact"] and everything["clients_checked"] == 2
    assert everything["events_checked"] == events * 2

    with as_database_owner(services.engine) as conn:
        conn.execute(
            sa.text(
                "UPDATE events SET recorded_at = recorded_at - interval '1 day' "
                "WHERE stream_id = :s AND stream_version = 5"
            )
            if conn.dialect.name == "postgresql"
            else sa.text(
                "UPDATE events SET recorded_at = '2020-01-01 00:00:00.000000' "
                "WHERE stream_id = :s AND stream_version = 5"
            ),
            {"s": f"client-{client}"},
        )

    broken = auditor.get("/v1/verification").json
    assert not broken["intact"] and broken["broken_count"] == 1
    assert broken["broken"] == [
        {
            "client_id": client,
            "version": 5,
            "problem": "the content does not match its hash (the event was altered)",
        }
    ]
    assert auditor.get(f"/v1/clients/{other}/verification").json["intact"]
    history = auditor.get(f"/v1/clients/{client}/history?limit=2&order=oldest").json["items"]
    assert history[1]["prev_hash"] == history[0]["hash"] and history[0]["prev_hash"] is None


def test_only_admins_and_auditors_verify_the_whole_organisation(admin_a, services):
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", coach_id="coach-1")
    )
    assert_problem(coach.get("/v1/verification"), 403, "forbidden_for_role")


def test_an_admin_forgets_a_client_whose_history_stays_erased(admin_a, admin_b, services):
    client = enrolled(admin_a)
    base = f"/v1/clients/{client}"
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    note = f"note {uuid.uuid4()}"
    noted = admin_a.post(
        f"{base}/goals/{goal}/check-ins",
        json={"confidence": 5, "value": 2, "note": note},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert noted.status_code == 201, noted.json
    assert tables_holding(services.engine, note) == []  # sealed in the event, kept nowhere else
    notes = [e["data"].get("note") for e in admin_a.get(f"{base}/history?limit=200").json["items"]]
    assert note in notes  # yet read back in the clear while the client is not forgotten
    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", coach_id="coach-1")
    )
    assert_problem(coach.delete(base), 403, "forbidden_for_role")
    assert_problem(auditor.delete(base), 403, "forbidden_for_role")
    assert_problem(admin_b.delete(base), 404, "client_not_found")

    forgotten = admin_a.delete(base)

    assert forgotten.status_code == 200, forgotten.json
    assert forgotten.json["key_destroyed"] and forgotten.json["rows_purged"]["client_views"] == 1
    again = admin_a.delete(base)
    assert again.status_code == 200 and not again.json["key_destroyed"]
    assert again.json["forgotten_at"] == forgotten.json["forgotten_at"]

    assert_problem(admin_a.get(base), 404, "client_forgotten")
    assert_problem(admin_a.get(f"{base}/roadmap"), 404, "client_not_found")
    assert_problem(
        admin_a.post(f"{base}/goals/{goal}/check-ins", json={"confidence": 5}),
        404,
        "client_forgotten",
    )
    assert client not in {c["client_id"] for c in admin_a.get("/v1/clients").json["items"]}

    history = auditor.get(f"{base}/history?limit=200&order=oldest").json["items"]
    assert history[0]["data"]["display_name"] is None and history[0]["erased"] == ["display_name"]
    assert history[0]["description"].endswith("(personal data erased: the client was forgotten)")
    assert all(entry["erased"] is not None for entry in history)
    assert note not in [entry["data"].get("note") for entry in history]
    export = auditor.get(f"{base}/export")
    assert export.status_code == 200 and b'"display_name": null' in export.data
    assert auditor.get(f"{base}/verification").json["intact"]
    assert_problem(admin_b.get(f"{base}/history"), 404, "client_not_found")
