"""The one pagination contract over HTTP on caseload, digests, digest runs, keys and findings.

Pages of any size, followed by `next_cursor`, concatenate to the whole list in
its documented order, with no item skipped or repeated, also when items share
a timestamp; a cursor that list did not return and a limit beyond the maximum
are 422; a coach key pages through its own clients' items only, and another
organisation's key sees none of them.
"""

from __future__ import annotations

import uuid

import pytest
from polling import eventually
from test_api_alignment import seed_client
from test_api_problems import assert_problem

from api.pagination import encode_cursor
from services.digests.generation import generate_client_digests, generate_coach_digests
from services.digests.tables import digests

SIZES = (1, 2, 3)


def walk(caller, path: str, limit: int, **query) -> list[dict]:
    """Every item of a list, a page of `limit` at a time, following `next_cursor` to its null."""
    items, cursor = [], None
    for _ in range(200):
        page = caller.get(
            path, query_string={**query, "limit": limit, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.json
        assert len(page.json["items"]) <= limit
        items += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{path}: no last page")


def assert_pages_make_the_list(caller, path: str, key: str, order, **query) -> list[dict]:
    """Pages of 1, 2 and 3 give the one-page list, which is in `order`, each item once."""
    answer = caller.get(path, query_string={**query, "limit": 200})
    assert answer.status_code == 200, answer.json
    whole = answer.json
    assert whole["next_cursor"] is None
    ids = [item[key] for item in whole["items"]]
    assert len(ids) == len(set(ids))
    assert whole["items"] == sorted(whole["items"], key=order)
    for size in SIZES:
        assert [item[key] for item in walk(caller, path, size, **query)] == ids, size
    return whole["items"]


def newest_first(item: dict, moment: str, key: str) -> tuple:
    """Descending by moment then id, as a sort key (RFC 3339 UTC strings sort as instants)."""
    return tuple(-ord(ch) for ch in item[moment]), tuple(-ord(ch) for ch in item[key])


def assert_refuses_foreign_cursors_and_large_limits(caller, path: str, **query) -> None:
    for cursor in ("%%%", "bm90IGpzb24", encode_cursor("client-7"), encode_cursor([1, 2, 3])):
        refused = caller.get(path, query_string={**query, "cursor": cursor})
        assert_problem(refused, 422, "validation_failed")
    assert_problem(caller.get(path, query_string={**query, "limit": 201}), 422, "validation_failed")
    assert_problem(caller.get(path, query_string={**query, "limit": 0}), 422, "validation_failed")


def enrol(caller, coach_id: str, name: str = "Sam") -> str:
    client = str(uuid.uuid4())
    body = {"client_id": client, "coach_id": coach_id, "display_name": name, "timezone": "UTC"}
    assert caller.post("/v1/clients", json=body).status_code == 201
    return client


def views_show(caller, services, clients: int) -> None:
    """Wait until the views hold the caller's `clients` (the feed's watermark is shared with other writers)."""

    def shown() -> bool:
        services.projections.catch_up()
        return len(caller.get("/v1/caseload", query_string={"limit": 200}).json["items"]) == clients

    assert eventually(shown)


@pytest.fixture
def digested(admin_a, admin_b, services):
    """Five clients of A (three of coach-1, two of coach-2) and one of B, with a week's digests."""
    ours = {"coach-1": [enrol(admin_a, "coach-1") for _ in range(3)]}
    ours["coach-2"] = [enrol(admin_a, "coach-2") for _ in range(2)]
    theirs = enrol(admin_b, "coach-1")
    views_show(admin_a, services, 5)
    views_show(admin_b, services, 1)
    services.clock.advance(weeks=1)
    for caller, clients in ((admin_a, ours["coach-1"] + ours["coach-2"]), (admin_b, [theirs])):
        run_id = caller.post("/v1/digest-runs", json={"kind": "weekly"}).json["run_id"]
        generate_client_digests(services.engine, services.store, run_id, clients)
        generate_coach_digests(services.engine, run_id)
    return ours


def test_digests_page_newest_first_with_ties_by_id(admin_a, admin_b, services, digested):
    order = lambda d: newest_first(d, "created_at", "digest_id")  # noqa: E731
    listed = assert_pages_make_the_list(admin_a, "/v1/digests", "digest_id", order)
    assert len(listed) == 5 + 2 + 1  # five clients, two coaches, the organisation

    with services.engine.begin() as conn:  # every digest made at the same moment
        conn.execute(digests.update().values(created_at=services.clock()))
    tied = assert_pages_make_the_list(admin_a, "/v1/digests", "digest_id", order)
    assert [d["digest_id"] for d in tied] == sorted((d["digest_id"] for d in listed), reverse=True)
    weekly = assert_pages_make_the_list(admin_a, "/v1/digests", "digest_id", order, kind="weekly")
    assert len(weekly) == 8
    assert_refuses_foreign_cursors_and_large_limits(admin_a, "/v1/digests")

    theirs = admin_b.get("/v1/digests").json["items"]
    assert len(theirs) == 3 and not {d["digest_id"] for d in theirs} & {
        d["digest_id"] for d in listed
    }


def test_a_coach_key_pages_through_its_own_clients_digests_only(admin_a, services, digested):
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    order = lambda d: newest_first(d, "created_at", "digest_id")  # noqa: E731
    seen = assert_pages_make_the_list(coach, "/v1/digests", "digest_id", order)
    assert {d["subject"] for d in seen} == {f"client:{c}" for c in digested["coach-1"]} | {
        "coach:coach-1"
    }
    other = digested["coach-2"][0]
    assert coach.get("/v1/digests", query_string={"client_id": other}).json == {
        "items": [],
        "next_cursor": None,
    }


def test_digest_runs_page_newest_first_for_admins_and_auditors(admin_a, admin_b, services):
    enrol(admin_a, "coach-1")
    views_show(admin_a, services, 1)
    services.clock.advance(weeks=20)  # the clock stands still: every run starts at the same moment
    for kind, today in (("weekly", None), ("quarterly", None), ("weekly", "2026-12-01")):
        body = {"kind": kind, **({"today": today} if today else {})}
        assert admin_a.post("/v1/digest-runs", json=body).status_code == 202
    services.clock.advance(days=1)
    admin_a.post("/v1/digest-runs", json={"kind": "weekly", "today": "2027-01-20"})

    auditor = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))
    order = lambda r: newest_first(r, "created_at", "run_id")  # noqa: E731
    runs = assert_pages_make_the_list(auditor, "/v1/digest-runs", "run_id", order)
    assert len(runs) == 4 and runs[0]["period_key"] == "2027-W02"
    assert {r["total"] for r in runs} == {3}  # one client, one coach, the organisation
    assert_refuses_foreign_cursors_and_large_limits(admin_a, "/v1/digest-runs")

    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )
    assert_problem(coach.get("/v1/digest-runs"), 403, "forbidden_for_role")
    assert admin_b.get("/v1/digest-runs").json == {"items": [], "next_cursor": None}


def test_keys_page_newest_first_with_ties_by_id(admin_a, admin_b, services):
    for coach in ("coach-1", "coach-2", "coach-3"):  # issued at the same moment as the admin key
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", coach)
    services.clock.advance(minutes=5)
    for _ in range(2):
        services.tenancy.keys.issue(admin_a.organisation_id, "auditor")

    order = lambda k: newest_first(k, "created_at", "key_id")  # noqa: E731
    keys = assert_pages_make_the_list(admin_a, "/v1/keys", "key_id", order)
    assert [k["role"] for k in keys][:2] == ["auditor", "auditor"] and len(keys) == 6
    assert_refuses_foreign_cursors_and_large_limits(admin_a, "/v1/keys")
    assert [k["key_id"] for k in admin_b.get("/v1/keys").json["items"]] == [admin_b.key_id]


def test_caseload_pages_by_attention_then_client_id(admin_a, admin_b, services, clock):
    quiet = [enrol(admin_a, "coach-1") for _ in range(3)] + [enrol(admin_a, "coach-2")]
    busy = [seed_client(admin_a) for _ in range(2)]  # overdue and stalled goals: higher scores
    views_show(admin_a, services, 6)
    clock.advance(days=100)
    today = clock().date().isoformat()

    order = lambda e: (-e["score"], e["client_id"])  # noqa: E731
    query = {"today": today, "stall_days": 21}
    entries = assert_pages_make_the_list(admin_a, "/v1/caseload", "client_id", order, **query)
    assert {e["client_id"] for e in entries[:2]} == set(busy)
    assert [e["client_id"] for e in entries[2:]] == sorted(quiet)  # tied at 0: by client id
    assert admin_a.get("/v1/caseload", query_string=query).json["as_of"] == today
    assert_refuses_foreign_cursors_and_large_limits(admin_a, "/v1/caseload", **query)

    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2")
    )
    mine = assert_pages_make_the_list(coach, "/v1/caseload", "client_id", order, **query)
    assert [e["client_id"] for e in mine] == [quiet[-1]]
    assert admin_b.get("/v1/caseload", query_string=query).json["items"] == []


def test_findings_page_most_severe_first_then_newest(admin_a, admin_b, services, clock):
    client = seed_client(admin_a)
    clock.advance(days=100)
    checked = admin_a.post(f"/v1/clients/{client}/alignment-checks").json
    clock.advance(days=1)
    second = admin_a.post(f"/v1/clients/{client}/alignment-checks").json  # `since`: the first
    path = f"/v1/clients/{client}/findings"
    assert eventually(lambda: admin_a.get(path).json["check_id"] == second["check_id"])
    severity = {"critical": 0, "warning": 1, "info": 2}

    def order(f):
        about = f"{f['rule']}/{f['goal_id'] or ''}/{f['requirement_id'] or ''}"
        return severity[f["severity"]], newest_first(f, "since", "rule")[0], about

    found = assert_pages_make_the_list(admin_a, path, "summary", order)
    assert len(found) == len(checked["findings"]) >= 3
    assert {f["since"] for f in found} == {checked["checked_at"]}
    page = admin_a.get(path, query_string={"limit": 1}).json
    assert page["total"] == len(found) and page["check_id"] != checked["check_id"]
    assert_refuses_foreign_cursors_and_large_limits(admin_a, path)

    other = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-3")
    )
    assert_problem(other.get(path), 404, "client_not_found")
    assert_problem(admin_b.get(path), 404, "client_not_found")
    own = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    assert [f["summary"] for f in walk(own, path, 2)] == [f["summary"] for f in found]
