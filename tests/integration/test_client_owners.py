"""Who owns a client: read from the view in one query, yet exact when the view lags or is missing.

A command's check takes ownership from the events when they are ahead of the
view on it; a read's check says how far the view lags, for the reader to
refresh the views (read-your-writes) before it asks again.
"""

from __future__ import annotations

import uuid

import pytest
from plan_histories import Clock, context, enrol_seed_client

from domain import commands as c
from eventstore import EventStore
from projections.client_projection import ClientViewProjection
from projections.runner import ProjectionRunner
from services.access.api_keys import ApiKeys
from services.access.client_access import ClientOwner, ClientOwners
from services.access.organisations import Organisations
from services.coaches.roster import Coaches
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec


@pytest.fixture
def world(engine):
    store = EventStore(engine, domain_codec())
    clock = Clock()
    runner = ProjectionRunner(engine, store, [ClientViewProjection()])
    yield store, CareerPlans(store, clock), runner, ClientOwners(store), clock
    store.close()


def test_a_client_enrolled_a_moment_ago_is_found_before_any_view(world):
    store, plans, runner, owners, clock = world
    client = enrol_seed_client(plans, clock)  # no projection has run: there is no view yet

    assert owners.owner(client) == ClientOwner("org-a", "coach-1")
    found = owners.owner_and_view(client)
    assert found.behind == store.read_stream(f"client-{client}")[-1].cursor  # the view to wait for
    assert (found.owner, found.view) == (None, None)

    runner.refresh_to(found.behind)
    assert owners.owner_and_view(client).owner == ClientOwner("org-a", "coach-1")


def test_the_view_answers_once_current_and_with_the_view_itself(world):
    store, plans, runner, owners, clock = world
    client = enrol_seed_client(plans, clock)
    runner.catch_up()

    owner, view, behind = vars(owners.owner_and_view(client)).values()
    assert owners.owner(client) == owner == ClientOwner("org-a", "coach-1") and behind is None
    assert view["client_id"] == client and view["client"]["coach_id"] == "coach-1"


def test_a_reassignment_not_yet_in_the_view_is_seen_at_once(world):
    store, plans, runner, owners, clock = world
    client = enrol_seed_client(plans, clock)
    runner.catch_up()
    reassigned = plans.execute(
        client, c.ReassignCoach(coach_id="coach-2"), context()
    )  # the view says coach-1

    assert owners.owner(client) == ClientOwner(
        "org-a", "coach-2"
    )  # the view lags; a command's check does not
    found = owners.owner_and_view(client)
    assert found.owner is None and found.behind == reassigned.events[-1].cursor
    assert found.view["client"]["coach_id"] == "coach-1"

    runner.catch_up()
    assert (
        owners.owner(client)
        == owners.owner_and_view(client).owner
        == ClientOwner("org-a", "coach-2")
    )


def test_other_events_after_the_view_do_not_change_the_owner(world):
    store, plans, runner, owners, clock = world
    client = enrol_seed_client(plans, clock, org="org-b")
    runner.catch_up()
    plans.execute(
        client,
        c.AddMilestone(
            goal_id=_first_goal(store, client),
            milestone_id=str(uuid.uuid4()),
            title="Message one mentor",
            estimate_minutes=30,
        ),
        context("org-b"),
    )

    assert owners.owner(client) == ClientOwner("org-b", "coach-1")


def test_an_unknown_client_has_no_owner(world):
    store, plans, runner, owners, clock = world
    runner.catch_up()
    assert owners.owner(str(uuid.uuid4())) is None
    assert vars(owners.owner_and_view(str(uuid.uuid4()))) == {
        "owner": None,
        "view": None,
        "behind": None,
    }


def test_a_request_finds_its_key_beside_the_client_in_one_statement(world, engine):
    store, plans, runner, owners, clock = world
    keys = ApiKeys(engine, "owners-secret-0123456789abcdefghij", clock)
    organisation, _ = Organisations(engine, keys, clock).create("Acme Coaching")
    org = organisation.organisation_id
    Coaches(engine, clock, keys).create(org, "Ann", coach_id="coach-1")
    coach_key = keys.issue(org, "coach", "coach-1")
    client = enrol_seed_client(plans, clock, org=org)
    runner.catch_up()
    digest = keys.digest(coach_key.key)

    row, found = owners.key_and_owner_and_view(digest, client)
    assert keys.caller(row) == keys.authenticate(coach_key.key)
    assert keys.caller(row).coach_id == "coach-1"
    assert vars(found) == vars(owners.owner_and_view(client))
    row, owner = owners.key_and_owner(digest, client)  # a command's
    assert keys.caller(row) == keys.authenticate(coach_key.key) and owner == ClientOwner(
        org, "coach-1"
    )

    unknown = str(uuid.uuid4())  # the key, and no such client
    row, found = owners.key_and_owner_and_view(digest, unknown)
    assert keys.caller(row).key_id == coach_key.api_key.key_id
    assert vars(found) == {"owner": None, "view": None, "behind": None}
    row, owner = owners.key_and_owner(digest, unknown)
    assert keys.caller(row).key_id == coach_key.api_key.key_id and owner is None

    keys.revoke(org, coach_key.api_key.key_id)
    for no_key in (
        digest,
        keys.digest("cp_" + "x" * 43),
    ):  # no live key: no caller, whatever the client
        assert owners.key_and_owner_and_view(no_key, client)[0] is None
        assert owners.key_and_owner(no_key, client) == (None, None)


def test_a_command_finds_its_key_beside_an_owner_the_view_does_not_know_yet(world, engine):
    store, plans, runner, owners, clock = world
    keys = ApiKeys(engine, "owners-secret-0123456789abcdefghij", clock)
    organisation, admin = Organisations(engine, keys, clock).create("Acme Coaching")
    org = organisation.organisation_id
    client = enrol_seed_client(
        plans, clock, org=org
    )  # no view yet: the owner comes from the events
    row, owner = owners.key_and_owner(keys.digest(admin.key), client)
    assert keys.caller(row).role == "admin" and owner == ClientOwner(org, "coach-1")

    runner.catch_up()
    plans.execute(
        client, c.ReassignCoach(coach_id="coach-2"), context(org)
    )  # the view says coach-1
    assert owners.key_and_owner(keys.digest(admin.key), client)[1] == ClientOwner(org, "coach-2")


def _first_goal(store: EventStore, client: str) -> str:
    return next(
        e.data["goal_id"] for e in store.read_stream(f"client-{client}") if e.type == "GoalSet"
    )
