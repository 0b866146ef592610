"""Idempotency-Key: a retry returns the first answer and writes nothing; a reused key is refused."""

from __future__ import annotations

import threading
import uuid

import psycopg
import sqlalchemy as sa
from test_api_journey import drive_seed
from test_api_problems import assert_problem, versions

from careerplan.seed_example import seed_id


def goal_body(client_id: str) -> dict:
    return {
        "statement": "Pair with a senior engineer on one design review a month",
        "category": "relationships",
        "measure": {
            "name": "design reviews paired on",
            "baseline": 0,
            "target": 6,
            "unit": "reviews",
        },
        "confidence": 7,
        "start_on": "2026-12-01",
        "due_on": "2027-06-01",
        "serves": [
            {
                "requirement_id": seed_id(client_id, "requirement", "design"),
                "how_it_leads": "Learn by doing.",
            }
        ],
    }


def enrolled(admin) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin, client)
    return client


def test_a_retry_returns_the_first_answer_and_writes_nothing(admin_a, services):
    client = enrolled(admin_a)
    path, key = f"/v1/clients/{client}/goals", {"Idempotency-Key": "set-goal-1"}

    first = admin_a.post(path, json=goal_body(client), headers=key)
    before = versions(services, client)
    retried = admin_a.post(path, json=goal_body(client), headers=key)

    assert first.status_code == retried.status_code == 201
    assert retried.json == first.json and retried.headers["ETag"] == first.headers["ETag"]
    assert (
        retried.headers["Idempotent-Replayed"] == "true"
        and "Idempotent-Replayed" not in first.headers
    )
    assert versions(services, client) == before
    assert first.json["goal_id"] in {
        g["goal_id"] for g in admin_a.get(f"/v1/clients/{client}").json["goals"]
    }


def test_generated_ids_follow_the_key_so_a_lost_answer_still_names_the_same_goal(admin_a, services):
    client = enrolled(admin_a)
    path, key = f"/v1/clients/{client}/goals", {"Idempotency-Key": "set-goal-2"}
    first = admin_a.post(path, json=goal_body(client), headers=key)
    with services.engine.begin() as conn:  # the stored answer is lost; the events remain
        from services.access.tables import idempotent_requests

        conn.execute(idempotent_requests.delete())

    retried = admin_a.post(path, json=goal_body(client), headers=key)
    assert retried.status_code == 201 and retried.json["goal_id"] == first.json["goal_id"]
    assert retried.json["version"] == first.json["version"]


def test_the_same_key_with_another_body_is_422(admin_a, services):
    client = enrolled(admin_a)
    path, key = f"/v1/clients/{client}/goals", {"Idempotency-Key": "set-goal-3"}
    assert admin_a.post(path, json=goal_body(client), headers=key).status_code == 201
    before = versions(services, client)

    other = {**goal_body(client), "confidence": 5}
    assert_problem(admin_a.post(path, json=other, headers=key), 422, "idempotency_key_reused")
    elsewhere = admin_a.put(f"/v1/clients/{client}/coach", json={"coach_id": "c-9"}, headers=key)
    assert_problem(elsewhere, 422, "idempotency_key_reused")
    assert versions(services, client) == before


def test_a_refused_request_releases_its_key(admin_a, services):
    client = enrolled(admin_a)
    path, key = f"/v1/clients/{client}/goals", {"Idempotency-Key": "set-goal-4"}
    assert (
        admin_a.post(path, json={**goal_body(client), "category": "x"}, headers=key).status_code
        == 422
    )
    assert admin_a.post(path, json=goal_body(client), headers=key).status_code == 201


def test_keys_belong_to_one_organisation(admin_a, admin_b):
    key = {"Idempotency-Key": "enrol-1"}
    body = {"coach_id": "coach-1", "display_name": "Sam", "timezone": "Europe/London"}
    a = admin_a.post("/v1/clients", json=body, headers=key)
    b = admin_b.post("/v1/clients", json=body, headers=key)
    assert a.status_code == b.status_code == 201
    assert a.json["client_id"] != b.json["client_id"] and "Idempotent-Replayed" not in b.headers


def test_two_racing_first_requests_store_one_set_of_events(admin_a, services, http):
    client = enrolled(admin_a)
    path, key = f"/v1/clients/{client}/goals", {"Idempotency-Key": "race-1"}
    before = versions(services, client)
    barrier, answers = threading.Barrier(4), []

    def send():
        caller = type(admin_a)(http.application.test_client(), admin_a.key)
        barrier.wait()
        answers.append(caller.post(path, json=goal_body(client), headers=key))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert versions(services, client) == before + 1
    succeeded = [a for a in answers if a.status_code == 201]
    assert succeeded and all(a.status_code in (201, 409) for a in answers)
    assert {a.json["goal_id"] for a in succeeded} == {succeeded[0].json["goal_id"]}


def unreachable(*_args, **_kwargs):
    """What settling a key meets when PostgreSQL refuses connections (`max_connections` reached)."""
    raise sa.exc.OperationalError(
        "UPDATE idempotent_requests", {}, psycopg.OperationalError("too many clients already")
    )


def test_a_key_the_database_cannot_settle_keeps_the_answer_and_a_retry_replays_it(
    admin_a, services, clock, monkeypatch
):
    client = enrolled(admin_a)
    path, key = f"/v1/clients/{client}/goals", {"Idempotency-Key": "unsettled-goal"}
    requests = services.tenancy.idempotency

    with monkeypatch.context() as patched:
        patched.setattr(requests, "complete", unreachable)
        first = admin_a.post(path, json=goal_body(client), headers=key)
    assert first.status_code == 201, first.json  # the goal is set: its answer is not a 500
    stored = versions(services, client)

    clock.advance(seconds=services.settings.idempotency_takeover_s + 1)  # the claim is taken over
    retried = admin_a.post(path, json=goal_body(client), headers=key)
    assert retried.status_code == 201
    assert retried.json["goal_id"] == first.json["goal_id"]
    assert retried.json["version"] == first.json["version"]
    assert versions(services, client) == stored  # replayed from the events: nothing more written


def test_a_refusal_the_database_cannot_release_is_still_the_refusal(admin_a, monkeypatch, services):
    client = enrolled(admin_a)
    body = {**goal_body(client), "confidence": 42}
    monkeypatch.setattr(services.tenancy.idempotency, "release", unreachable)

    answer = admin_a.post(
        f"/v1/clients/{client}/goals", json=body, headers={"Idempotency-Key": "refused-goal"}
    )
    assert answer.status_code == 422, answer.json
