"""Over HTTP: a client's history paged by cursor and narrowed to one goal or requirement, within its tenant."""

from __future__ import annotations

import uuid

import pytest
from test_api_journey import drive_seed
from test_api_problems import assert_problem

from careerplan.seed_example import seed_id


@pytest.fixture
def client(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


@pytest.fixture
def coach(admin_a, services):
    return admin_a.with_key(
        services.tenancy.keys.issue(admin_a.organisation_id, "coach", coach_id="coach-1")
    )


def all_pages(caller, path: str, **query) -> list[dict]:
    """Every item of a list, following `next_cursor` to the end (or the head of a feed)."""
    items, cursor = [], None
    while True:
        response = caller.get(
            path, query_string={**query, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.json
        items += response.json["items"]
        cursor = response.json["next_cursor"]
        if cursor is None or response.json.get("at_head"):
            return items


def test_history_pages_with_cursors_and_narrows_to_a_goal(admin_a, client):
    base = f"/v1/clients/{client}/history"
    everything = all_pages(admin_a, base, limit=5, order="oldest")
    assert [e["version"] for e in everything] == list(range(1, 20))
    newest_first = all_pages(admin_a, base, limit=4)
    assert [e["version"] for e in newest_first] == list(range(19, 0, -1))
    goal = seed_id(client, "goal", "system-design")
    about_goal = all_pages(admin_a, base, limit=2, goal_id=goal, order="oldest")
    assert [e["version"] for e in about_goal] == [9, 10, 13, 14, 15, 16, 17]
    backwards = all_pages(admin_a, base, limit=3, goal_id=goal)
    assert [e["version"] for e in backwards] == [17, 16, 15, 14, 13, 10, 9]
    partners = seed_id(client, "requirement", "partners")
    narrowed = admin_a.get(
        base, query_string={"requirement_id": partners, "type": "GoalSet", "order": "oldest"}
    ).json
    assert [e["version"] for e in narrowed["items"]] == [10, 11] and narrowed["next_cursor"] is None

    assert_problem(admin_a.get(base, query_string={"cursor": "nonsense"}), 422, "validation_failed")
    assert_problem(admin_a.get(base, query_string={"after": 3}), 422, "validation_failed")


def test_a_history_is_read_within_its_organisation_and_its_coach_s_reach(coach, admin_b, client):
    assert coach.get(f"/v1/clients/{client}/history").status_code == 200  # its own client's
    assert_problem(admin_b.get(f"/v1/clients/{client}/history"), 404, "client_not_found")
    goal = seed_id(client, "goal", "system-design")
    foreign = admin_b.get(f"/v1/clients/{client}/history", query_string={"goal_id": goal})
    assert_problem(foreign, 404, "client_not_found")
