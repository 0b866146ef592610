"""An organisation tunes its re-alignment thresholds and digest cadence; the sweep uses them."""

from __future__ import annotations

from services import policies


def test_policy_defaults_update_and_refusals(admin_a, admin_b, services):
    assert admin_a.get("/v1/policy").json["digest_kinds"] == ["quarterly"]

    updated = admin_a.put(
        "/v1/policy",
        json={
            "alignment": {"stall_days": 10, "disabled_rules": ["review_due"]},
            "digest_kinds": ["weekly", "quarterly"],
        },
    )
    assert updated.status_code == 200, updated.json
    assert updated.json["alignment"]["stall_days"] == 10

    refused = admin_a.put("/v1/policy", json={"alignment": {"disabled_rules": ["no_such_rule"]}})
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"

    with services.engine.connect() as conn:
        mine = policies.policy_of(conn, admin_a.organisation_id)
        theirs = policies.policy_of(conn, admin_b.organisation_id)
    assert (mine.alignment.stall_days, mine.digest_kinds) == (10, ("weekly", "quarterly"))
    assert theirs.alignment.stall_days == 21 and theirs.digest_kinds == ("quarterly",)
