"""History entries and export lines name who did it as a person (a coach, an admin key), over HTTP."""

from __future__ import annotations

import json

from test_api_coaches import enrol


def test_history_and_export_name_the_actor_as_a_person(admin_a, services):
    admin_a.patch("/v1/coaches/coach-1", json={"name": "Maria Okafor"})
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    client = enrol(admin_a, "coach-1").json["client_id"]
    set_destination = {
        "statement": "Lead platform engineering at a climate-tech company.",
        "role": "Head of Platform",
        "industry": "climate tech",
        "impact": "Cut emissions",
        "horizon": "2030-06-30",
    }
    assert coach.put(f"/v1/clients/{client}/destination", json=set_destination).status_code in (
        200,
        201,
    )

    entries = admin_a.get(f"/v1/clients/{client}/history?order=oldest").json["items"]
    admin_key = services.tenancy.keys.get(admin_a.organisation_id, admin_a.key_id)
    assert entries[0]["actor"] == {
        "kind": "admin",
        "key_id": admin_a.key_id,
        "label": admin_key.prefix,
    }
    assert entries[1]["actor"] == {
        "kind": "coach",
        "id": "coach-1",
        "name": "Maria Okafor",
        "key_id": coach.key_id,
    }
    lines = admin_a.get(f"/v1/clients/{client}/export").get_data(as_text=True).splitlines()
    assert [json.loads(line)["actor"] for line in lines] == [e["actor"] for e in entries]
