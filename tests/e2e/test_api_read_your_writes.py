"""Read-your-writes and exact scoping when the views lag behind the events, on SQLite and PostgreSQL.

A command stores its events and answers; the views are brought up to them by
the next read that needs them (a client's view read refreshes when the view
lags that client's events, a caseload or client list refreshes to the head of
the feed) or by the follower. When that refresh cannot happen (it failed, or
another runner holds the views back), who may reach a client is still decided
from the events.
"""

from __future__ import annotations

import uuid

from test_api_journey import drive_seed
from test_api_problems import assert_problem

from careerplan.seed_example import GOAL_KEYS, seed_id
from projections import queries


def freeze_views(services, monkeypatch) -> None:
    """No projection runs from here on: the views keep what they hold now."""
    monkeypatch.setattr(services.projections, "catch_up", lambda *args, **kwargs: 0)
    monkeypatch.setattr(services.projections, "refresh_to", lambda *args, **kwargs: False)


def test_a_check_in_shows_in_the_roadmap_it_answers_before(admin_a):
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    base = f"/v1/clients/{client}"

    recorded = admin_a.post(f"{base}/goals/{goal}/check-ins", json={"value": 7, "confidence": 9})
    assert recorded.status_code == 201, recorded.json
    roadmap = admin_a.get(f"{base}/roadmap", query_string={"today": "2026-11-27"})
    entry = next(
        g for frame in roadmap.json["timeframes"] for g in frame["goals"] if g["goal_id"] == goal
    )
    assert entry["current_value"] == 7


def test_the_command_leaves_the_view_to_the_read_that_needs_it(admin_a, services):
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    admin_a.get(f"/v1/clients/{client}/roadmap")  # the view is current

    recorded = admin_a.post(
        f"/v1/clients/{client}/goals/{goal}/check-ins", json={"value": 7, "confidence": 9}
    )
    with services.engine.connect() as conn:
        stored_view = queries.client_view(conn, admin_a.organisation_id, client)
    assert stored_view["version"] == recorded.json["version"] - 1  # the command did no view work

    momentum = admin_a.get(f"/v1/clients/{client}/momentum", query_string={"today": "2026-11-27"})
    assert momentum.status_code == 200
    with services.engine.connect() as conn:
        assert (
            queries.client_view(conn, admin_a.organisation_id, client)["version"]
            == recorded.json["version"]
        )


def test_a_client_enrolled_a_moment_ago_is_in_the_caseload_and_the_client_list(admin_a):
    client = str(uuid.uuid4())
    enrolled = admin_a.post(
        "/v1/clients",
        json={"client_id": client, "coach_id": "coach-1", "display_name": "Ada", "timezone": "UTC"},
    )
    assert enrolled.status_code == 201, enrolled.json

    caseload = admin_a.get("/v1/caseload", query_string={"today": "2026-11-27"}).json
    assert client in [entry["client_id"] for entry in caseload["items"]]
    listed = admin_a.get("/v1/clients", query_string={"limit": 100}).json
    assert client in [entry["client_id"] for entry in listed["items"]]


def test_a_new_coach_reaches_the_client_at_once_though_the_views_lag(
    admin_a, services, monkeypatch
):
    old = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-1"))
    new = admin_a.with_key(services.tenancy.keys.issue(admin_a.organisation_id, "coach", "coach-2"))
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    services.projections.catch_up()
    freeze_views(services, monkeypatch)

    assert (
        admin_a.put(f"/v1/clients/{client}/coach", json={"coach_id": "coach-2"}).status_code == 200
    )
    assert new.get(f"/v1/clients/{client}").status_code == 200
    assert (
        new.get(f"/v1/clients/{client}/roadmap").status_code == 200
    )  # the (lagging) view, now the new coach's
    assert_problem(old.get(f"/v1/clients/{client}/roadmap"), 404, "client_not_found")
    assert_problem(old.post(f"/v1/clients/{client}/reviews"), 404, "client_not_found")


def test_a_client_without_a_view_yet_is_scoped_by_its_events(
    admin_a, admin_b, services, monkeypatch
):
    freeze_views(services, monkeypatch)
    client = str(uuid.uuid4())
    enrolled = admin_a.post(
        "/v1/clients",
        json={"client_id": client, "coach_id": "coach-1", "display_name": "Ada", "timezone": "UTC"},
    )
    assert enrolled.status_code == 201, enrolled.json

    assert admin_a.get(f"/v1/clients/{client}").status_code == 200
    assert_problem(
        admin_a.get(f"/v1/clients/{client}/roadmap"), 404, "client_not_found"
    )  # no view yet
    assert_problem(admin_b.get(f"/v1/clients/{client}"), 404, "client_not_found")
