"""Over HTTP: private calendar feeds issued, fetched without a key, rotated, and kept in their tenant."""

from __future__ import annotations

import uuid

import pytest
import vobject
from icalendar import Calendar
from test_api_journey import drive_seed
from test_api_problems import assert_problem
from test_rate_limits import limited_app

ICS = "text/calendar; charset=utf-8"


@pytest.fixture
def client(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


def issue(caller, path: str) -> str:
    response = caller.post(path)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    assert response.headers["Location"] == body["url"]
    assert body["url"].startswith("/v1/calendars/cal_") and body["url"].endswith(".ics")
    assert body["rotated_at"] and body["created_at"]
    return body["url"]


def events_of(http, url: str) -> dict[str, dict]:
    """The feed fetched as a calendar app does (no key), read by icalendar and by vobject."""
    response = http.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == ICS
    text = response.get_data()
    first = {
        str(e["UID"]): (e.decoded("DTSTART").isoformat(), str(e["SUMMARY"]))
        for e in Calendar.from_ical(text).walk("VEVENT")
    }
    second = {
        e.uid.value: (e.dtstart.value.isoformat(), e.summary.value)
        for e in vobject.readOne(text.decode()).vevent_list
    }
    assert first == second
    return first


def test_a_client_feed_opens_without_a_key_with_each_open_goal_and_the_next_review(
    admin_a, http, client
):
    url = issue(admin_a, f"/v1/clients/{client}/calendar")
    events = events_of(http, url)

    goals = admin_a.get(f"/v1/clients/{client}").json["goals"]
    open_goals = [g for g in goals if g["status"] in ("active", "paused")]
    assert open_goals
    for goal in open_goals:
        day, summary = events[f"{goal['goal_id']}@careerplan"]
        assert day == goal["terms"]["due_on"] and goal["terms"]["statement"] in summary
    caseload = admin_a.get("/v1/caseload").json["items"]
    next_review = next(row["next_review_due"] for row in caseload if row["client_id"] == client)
    assert events[f"review-{client}@careerplan"] == (next_review, "Quarterly review due")


def test_issuing_again_rotates_the_url_and_the_old_one_is_404(admin_a, http, client):
    old = issue(admin_a, f"/v1/clients/{client}/calendar")
    new = issue(admin_a, f"/v1/clients/{client}/calendar")
    assert old != new
    assert_problem(http.get(old), 404, "not_found")
    assert http.get(new).status_code == 200


def test_an_unknown_token_is_404_never_401_even_with_a_bad_key(http):
    assert_problem(http.get("/v1/calendars/cal_nothing-here.ics"), 404, "not_found")
    bad_key = {"Authorization": "Bearer cp_not-a-key"}
    assert_problem(http.get("/v1/calendars/whatever.ics", headers=bad_key), 404, "not_found")


def test_a_coach_feed_covers_that_coach_s_active_clients_only(admin_a, http, services, client):
    other_coach, archived = str(uuid.uuid4()), str(uuid.uuid4())
    drive_seed(admin_a, other_coach, "coach-2")
    drive_seed(admin_a, archived)
    assert (
        admin_a.post(f"/v1/clients/{archived}/archive", json={"reason": "paused"}).status_code
        == 200
    )
    coach = admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1")
    )

    events = events_of(http, issue(coach, "/v1/coaches/coach-1/calendar"))
    clients = {
        uid.removeprefix("review-").removesuffix("@careerplan")
        for uid in events
        if uid.startswith("review-")
    }
    assert clients == {client}
    goal = admin_a.get(f"/v1/clients/{client}").json["goals"][0]
    assert events[f"{goal['goal_id']}@careerplan"][1].startswith("Sam Example: ")


def test_a_deactivated_coach_s_feed_opens_nothing_until_they_are_active_again(admin_a, http):
    url = issue(admin_a, "/v1/coaches/coach-2/calendar")
    assert http.get(url).status_code == 200
    assert admin_a.patch("/v1/coaches/coach-2", json={"active": False}).status_code == 200
    assert http.get(url).status_code == 404
    assert admin_a.patch("/v1/coaches/coach-2", json={"active": True}).status_code == 200
    assert http.get(url).status_code == 200


def test_only_admins_and_the_right_coach_issue_feeds(admin_a, admin_b, services, client):
    keys = services.tenancy.keys
    own = admin_a.with_key(keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    other = admin_a.with_key(keys.issue(admin_a.organisation_id, "coach", "coach-2"))
    auditor = admin_a.with_key(keys.issue(admin_a.organisation_id, "auditor"))
    issue(own, f"/v1/clients/{client}/calendar")
    issue(admin_a, "/v1/coaches/coach-2/calendar")
    assert_problem(other.post(f"/v1/clients/{client}/calendar"), 404, "client_not_found")
    assert_problem(own.post("/v1/coaches/coach-2/calendar"), 404, "coach_not_found")
    assert_problem(admin_b.post(f"/v1/clients/{client}/calendar"), 404, "client_not_found")
    only_a = services.coaches.create(admin_a.organisation_id, "Ada Only-A").coach_id
    issue(admin_a, f"/v1/coaches/{only_a}/calendar")
    assert_problem(admin_b.post(f"/v1/coaches/{only_a}/calendar"), 404, "coach_not_found")
    assert_problem(auditor.post(f"/v1/clients/{client}/calendar"), 403, "forbidden_for_role")
    assert_problem(auditor.post("/v1/coaches/coach-1/calendar"), 403, "forbidden_for_role")


def test_a_feed_is_counted_per_address_whatever_key_is_sent(services, admin_a, admin_b):
    http = limited_app(services).test_client()
    answers = [
        http.get("/v1/calendars/cal_guess.ics", headers={"Authorization": f"Bearer {key}"})
        for key in (admin_a.key, admin_b.key, "cp_made-up", admin_a.key)
    ]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]


def test_a_forgotten_client_s_feed_is_404(admin_a, http, client):
    url = issue(admin_a, f"/v1/clients/{client}/calendar")
    assert admin_a.delete(f"/v1/clients/{client}").status_code == 200
    assert_problem(http.get(url), 404, "not_found")
