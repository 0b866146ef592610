"""Over HTTP: the organisation's event feed and its history export, for admins and auditors only."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import sqlalchemy as sa
from test_api_history_narrowed import all_pages
from test_api_journey import drive_seed
from test_api_problems import assert_problem

from api.pagination import encode_cursor
from careerplan.seed_example import seed_id
from projections.queries import event_record
from services.coaches.actors import with_actors


@pytest.fixture
def client(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


@pytest.fixture
def auditor(admin_a, services):
    return admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "auditor"))


@pytest.fixture
def coach(admin_a, services):
    return admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", coach_id="coach-1")
    )


def settled(services, seconds: float = 30) -> None:
    """Wait until every stored event is readable in the feed: on PostgreSQL the feed's horizon is
    cluster-wide, and other sessions' open transactions may hold it back a moment."""
    with services.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
    deadline = time.monotonic() + seconds
    while services.store.count_after() < stored and time.monotonic() < deadline:
        time.sleep(0.01)


def org_events(services, organisation_id: str) -> list[str]:
    """The event ids of an organisation, in feed order, as the store reads them all."""
    return [
        str(e.event_id)
        for e in services.store.read_all(limit=100_000)
        if e.metadata["organisation_id"] == organisation_id
    ]


def test_the_event_feed_shows_each_of_the_organisation_s_events_once(
    admin_a, admin_b, auditor, services, client
):
    drive_seed(admin_b, str(uuid.uuid4()))  # another organisation's events, interleaved below
    drive_seed(admin_a, str(uuid.uuid4()))
    settled(services)
    seen = all_pages(auditor, "/v1/events", limit=4)
    assert [e["event_id"] for e in seen] == org_events(services, admin_a.organisation_id)
    first = seen[0]
    assert first["client_id"] == client and first["type"] == "ClientEnrolled"
    assert first["metadata"]["organisation_id"] == admin_a.organisation_id and first["hash"]
    theirs = all_pages(admin_b, "/v1/events", limit=50)
    assert [e["event_id"] for e in theirs] == org_events(services, admin_b.organisation_id)
    assert not {e["client_id"] for e in theirs} & {client}


def test_at_the_head_the_feed_hands_back_a_cursor_to_poll_with(admin_a, services, client):
    settled(services)
    page = admin_a.get("/v1/events", query_string={"limit": 500}).json
    assert len(page["items"]) == 19 and page["at_head"] and page["next_cursor"]
    empty = admin_a.get("/v1/events", query_string={"cursor": page["next_cursor"]}).json
    assert empty == {"items": [], "next_cursor": page["next_cursor"], "at_head": True}
    goal = seed_id(client, "goal", "system-design")
    check_in = {"value": 2, "confidence": 8}
    recorded = admin_a.post(f"/v1/clients/{client}/goals/{goal}/check-ins", json=check_in)
    assert recorded.status_code == 201, recorded.json
    settled(services)
    later = admin_a.get("/v1/events", query_string={"cursor": page["next_cursor"]}).json
    assert [e["type"] for e in later["items"]] == ["CheckInRecorded"]


def test_feed_and_export_refuse_cursors_they_never_gave(admin_a, client):
    for path in ("/v1/events", "/v1/exports"):
        assert_problem(admin_a.get(path, query_string={"cursor": "x"}), 422, "validation_failed")
        beyond = encode_cursor([10**12, 1])  # no event there yet
        assert_problem(
            admin_a.get(path, query_string={"cursor": beyond}), 422, "cursor_beyond_head"
        )


def read_export(caller, cursor: str | None = None) -> list[dict]:
    response = caller.get("/v1/exports", query_string={"cursor": cursor} if cursor else {})
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_the_export_is_the_organisation_s_history_and_resumes_after_any_line(
    admin_a, admin_b, auditor, services, client
):
    drive_seed(admin_b, str(uuid.uuid4()))
    other = str(uuid.uuid4())
    drive_seed(admin_a, other)
    settled(services)
    lines = read_export(auditor)
    *events, end = lines
    assert [e["event_id"] for e in events] == org_events(services, admin_a.organisation_id)
    assert end["end_of_export"] and end["events"] == len(events) == 38
    assert {e["client_id"] for e in events} == {client, other}
    for cut in (1, 17, 37):  # a download cut after line `cut` resumes at the line after it
        rest = read_export(auditor, events[cut - 1]["cursor"])
        assert [e["event_id"] for e in rest[:-1]] == [e["event_id"] for e in events[cut:]]
    assert read_export(auditor, end["cursor"]) == [{**end, "events": 0}]
    assert [line.get("end_of_export") for line in read_export(admin_b)][-1]
    assert not {e.get("client_id") for e in read_export(admin_b)} & {client, other}


def test_the_export_s_bytes_are_the_store_s_records_of_the_organisation_s_events(
    admin_a, admin_b, auditor, services, client
):
    drive_seed(admin_b, str(uuid.uuid4()))
    settled(services)
    ours = [
        e
        for e in services.store.read_all(limit=100_000)
        if e.metadata["organisation_id"] == admin_a.organisation_id
    ]
    records = with_actors(services.store.reader, [event_record(e) for e in ours])
    expected = [
        json.dumps({**record, "cursor": encode_cursor([e.tx_id, e.position])}) + "\n"
        for e, record in zip(ours, records, strict=True)
    ]

    exported = auditor.get("/v1/exports").get_data(as_text=True).splitlines(keepends=True)

    assert exported[:-1] == expected  # byte for byte, however the export reads and opens them


def test_coaches_neither_follow_the_feed_nor_export(coach):
    assert_problem(coach.get("/v1/events"), 403, "forbidden_for_role")
    assert_problem(coach.get("/v1/exports"), 403, "forbidden_for_role")


def test_feed_and_export_show_a_forgotten_client_s_events_erased(admin_a, services, client):
    assert admin_a.delete(f"/v1/clients/{client}").status_code == 200
    goal = seed_id(client, "goal", "system-design")
    settled(services)
    feed = all_pages(admin_a, "/v1/events", limit=50)
    enrolled = next(e for e in feed if e["type"] == "ClientEnrolled")
    assert enrolled["data"]["display_name"] is None and enrolled["erased"] == ["display_name"]
    assert all(e["erased"] is not None for e in feed)
    lines = read_export(admin_a)
    set_goal = next(e for e in lines if e.get("data", {}).get("goal_id") == goal)
    assert set_goal["data"]["terms"] is None and set_goal["erased"] == ["terms"]
    assert "Sam Example" not in json.dumps(lines)
