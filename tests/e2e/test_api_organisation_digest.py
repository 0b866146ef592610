"""Over HTTP: a run's organisation digest, read by admins and auditors, never by a coach or another organisation."""

from __future__ import annotations

import uuid

from test_api_journey import drive_seed

from services.digests.generation import generate_client_digests, generate_coach_digests


def run_the_week(admin, services, clients: list[str]) -> str:
    """A weekly run over the clients, its client digests, then its coach and organisation digests."""
    services.clock.advance(weeks=1)  # the enrolments' week has ended
    services.projections.catch_up()
    started = admin.post("/v1/digest-runs", json={"kind": "weekly"})
    assert started.status_code == 202, started.json
    run_id = started.json["run_id"]
    generate_client_digests(services.engine, services.store, run_id, clients)
    generate_coach_digests(services.engine, run_id)
    return run_id


def test_an_admin_reads_the_organisation_digest_with_its_cohort_chart(admin_a, services):
    clients = [str(uuid.uuid4()) for _ in range(2)]
    drive_seed(admin_a, clients[0], "coach-1")
    drive_seed(admin_a, clients[1], "coach-2")
    run_id = run_the_week(admin_a, services, clients)
    subject = f"organisation:{admin_a.organisation_id}"

    status = admin_a.get(f"/v1/digest-runs/{run_id}").json
    assert (status["total"], status["done"], status["pending"]) == (5, 5, 0)  # 2 + 2 coaches + 1
    (summary,) = [d for d in admin_a.get("/v1/digests").json["items"] if d["subject"] == subject]
    digest = admin_a.get(f"/v1/digests/{summary['digest_id']}")
    assert digest.status_code == 200
    content = digest.json["content"]
    assert (content["kind"], content["organisation_id"]) == (
        "organisation",
        admin_a.organisation_id,
    )
    assert content["clients"]["total"] == 2
    assert sorted(row["coach_id"] for row in content["coaches"]) == ["coach-1", "coach-2"]
    assert set(content["cohort"]) >= {"from", "to", "goals", "by_requirement_kind", "momentum"}
    assert content["cohort"]["momentum"]["clients"] == 2

    for path in (f"/v1/digests/{summary['digest_id']}?format=html", f"{digest.request.path}/html"):
        page = admin_a.get(path)
        assert page.mimetype == "text/html" and '<svg id="cohort-chart"' in page.text
        assert '<section id="coaches">' in page.text
    markdown = admin_a.get(f"/v1/digests/{summary['digest_id']}?format=markdown")
    assert markdown.mimetype == "text/markdown"
    assert markdown.text.startswith(f"# Organisation digest for {admin_a.organisation_id}")
    assert "## Cohort: goals set" in markdown.text and "| coach-2 | 1 |" in markdown.text

    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    assert auditor.get(f"/v1/digests/{summary['digest_id']}").json["content"] == content
    only = auditor.get("/v1/digests", query_string={"subject_kind": "organisation"}).json
    assert [d["digest_id"] for d in only["items"]] == [summary["digest_id"]]
    coaches = admin_a.get("/v1/digests", query_string={"subject_kind": "coach"}).json["items"]
    assert sorted(d["subject"] for d in coaches) == ["coach:coach-1", "coach:coach-2"]
    refused = admin_a.get("/v1/digests", query_string={"subject_kind": "team"})
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"


def test_a_coach_and_another_organisation_cannot_read_it(admin_a, admin_b, services):
    client = str(uuid.uuid4())
    drive_seed(admin_a, client, "coach-1")
    run_the_week(admin_a, services, [client])
    subject = f"organisation:{admin_a.organisation_id}"
    (summary,) = [d for d in admin_a.get("/v1/digests").json["items"] if d["subject"] == subject]
    path = f"/v1/digests/{summary['digest_id']}"

    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    assert subject not in {d["subject"] for d in coach.get("/v1/digests").json["items"]}
    mine = coach.get("/v1/digests", query_string={"subject_kind": "organisation"})
    assert mine.status_code == 200 and mine.json["items"] == []
    assert f"client:{client}" in {d["subject"] for d in coach.get("/v1/digests").json["items"]}
    for caller in (coach, admin_b):
        for suffix in ("", "?format=html", "/html", "/markdown"):
            refused = caller.get(path + suffix)
            assert refused.status_code == 404 and refused.json["code"] == "not_found"
    assert admin_b.get("/v1/digests").json["items"] == []
