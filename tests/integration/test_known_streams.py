"""Plans kept in process memory between commands: only what came after is read, and nothing kept misleads.

Each `CareerPlans` stands for one process (its own memory of streams); two of
them on one database are two gunicorn workers or a worker and the API.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from plan_histories import Clock, context, enrol_seed_client
from stub_workers import stub_workers

from careerplan.seed_example import GOAL_KEYS, seed_id
from domain import commands as c
from eventstore import ConcurrencyConflict
from services.plans import CareerPlans, ClientForgotten
from services.plans.event_mapping import stream_id


@pytest.fixture
def world(engine):
    """Services with sealing on, and a second process's plans on the same store."""
    clock = Clock()
    with stub_workers(engine, clock) as (services, _, _, _):
        yield services.plans, CareerPlans(services.store, clock), services, clock


def check_in(plans: CareerPlans, client: str, goal: str, note: str = "", **kwargs):
    command = c.RecordCheckIn(
        goal_id=goal, check_in_id=str(uuid.uuid4()), confidence=6, value=2, note=note
    )
    return plans.execute(client, command, context(), **kwargs)


def test_each_process_decides_on_the_events_the_other_appended(world):
    mine, theirs, services, clock = world
    client = enrol_seed_client(mine, clock)
    goal, milestone = seed_id(client, "goal", GOAL_KEYS[0]), str(uuid.uuid4())
    mine.load("org-a", client)  # the plan is kept

    theirs.execute(
        client,
        c.AddMilestone(
            goal_id=goal, milestone_id=milestone, title="Book the mentor", estimate_minutes=30
        ),
        context(),
    )
    result = mine.execute(
        client, c.CompleteMilestone(goal_id=goal, milestone_id=milestone), context()
    )

    assert result.version == len(services.store.read_stream(stream_id(client)))
    assert (
        mine.load("org-a", client).plan == theirs.load("org-a", client).plan
    )  # only possible if mine read theirs


def test_a_stale_version_is_refused_against_if_match_and_decided_again_without(world):
    mine, theirs, _, clock = world
    client = enrol_seed_client(mine, clock)
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    seen = mine.load("org-a", client).version
    check_in(theirs, client, goal)

    with pytest.raises(ConcurrencyConflict):
        check_in(mine, client, goal, expected_version=seen)
    assert check_in(mine, client, goal).version == seen + 2


def test_a_kept_plan_with_a_wrong_last_hash_is_refused_by_the_store_and_read_whole_again(world):
    mine, _, services, clock = world
    client = enrol_seed_client(mine, clock)
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    kept = mine._streams.read(stream_id(client))
    mine._streams._keep(
        stream_id(client), dataclasses.replace(kept, last_hash=bytes(32))
    )  # a wrong memory

    result = check_in(mine, client, goal)

    assert result.version == kept.version + 1
    assert services.store.verify([stream_id(client)]).intact


def test_a_client_forgotten_by_another_process_is_refused_though_its_plan_was_kept(world):
    mine, _, services, clock = world
    client = enrol_seed_client(mine, clock)
    goal = seed_id(client, "goal", GOAL_KEYS[0])
    check_in(mine, client, goal, note="kept in memory")  # the plan is kept, with its notes

    services.erasure.forget("org-a", client, "key:admin")  # no new event: only the key is destroyed

    with pytest.raises(ClientForgotten):
        check_in(mine, client, goal)
    assert stream_id(client) not in mine._streams._known  # its plaintext is not kept any longer


def test_a_client_that_does_not_exist_is_not_kept(world):
    mine, _, _, clock = world
    kept = enrol_seed_client(mine, clock)
    mine.load("org-a", kept)
    nobody = str(uuid.uuid4())

    assert mine._streams.read(stream_id(nobody)).version == 0

    assert list(mine._streams._known) == [stream_id(kept)]  # no entry for the stream with no events


def test_streams_read_ahead_are_decided_on_and_not_kept(world):
    mine, theirs, services, clock = world
    kept, other = enrol_seed_client(mine, clock), enrol_seed_client(theirs, clock)
    mine.load("org-a", kept)
    goal = seed_id(other, "goal", GOAL_KEYS[0])
    check_in(theirs, other, goal)

    before = len(services.store.read_stream(stream_id(other)))

    ahead = mine.read_ahead([kept, other])
    result = check_in(mine, other, goal, read=ahead[other])

    assert ahead[other].version == before  # with the check-in the other process appended
    assert result.version == before + 1 and result.version == len(
        services.store.read_stream(stream_id(other))
    )
    assert list(mine._streams._known) == [stream_id(kept)]  # the read-ahead stream is not kept
