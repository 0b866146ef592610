"""The history narrowed to one goal or requirement, over a real store: which events, and read in SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_histories import Clock, context, enrol_seed_client

from careerplan.seed_example import seed_id
from domain import commands as c
from domain.events import CheckInRecorded
from domain.values import Contribution, TermsPatch
from eventstore import EventStore
from projections import queries
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec, stream_id, to_new_events

# The seed's stream: 1 enrolled, 2 destination, 3–8 requirements (design, lead, impact, mentor,
# portfolio, partners), 9–12 goals (system-design; lead-feature, mentor and initiative each
# following the one before), 13–15 milestones of system-design, 16 one completed, 17 a
# check-in on it, 18 a milestone of lead-feature, 19 one of mentor.
SYSTEM_DESIGN = [9, 10, 13, 14, 15, 16, 17]


class CountingCodec:
    """The domain codec, counting the rows it decodes: what a page really read."""

    def __init__(self):
        self.codec, self.decoded = domain_codec(), 0

    def __getattr__(self, name):
        return getattr(self.codec, name)

    def decode_rows(self, rows, json_as_text=False):
        self.decoded += len(rows)
        return self.codec.decode_rows(rows, json_as_text)


@pytest.fixture
def seeded(engine):
    codec = CountingCodec()
    store = EventStore(engine, codec)
    clock = Clock()
    plans = CareerPlans(store, clock)
    return store, codec, plans, enrol_seed_client(plans, clock), clock


def versions(store, client, **filters) -> list[int]:
    page = queries.history_page(store, {}, client, limit=500, **filters)
    return [entry["version"] for entry in page.entries]


def ids(client, kind, key):
    return seed_id(client, kind, key)


def test_a_goal_s_history_is_its_own_events_and_the_goals_that_follow_it(seeded):
    store, _, _, client, _ = seeded
    assert versions(store, client, goal_id=ids(client, "goal", "system-design")) == SYSTEM_DESIGN
    # mentor: its GoalSet, initiative's (which follows it), its milestone
    assert versions(store, client, goal_id=ids(client, "goal", "mentor")) == [11, 12, 19]
    assert versions(store, client, goal_id="no-such-goal") == []


def test_a_requirement_s_history_is_its_own_events_and_those_of_the_goals_serving_it(seeded):
    store, _, _, client, _ = seeded
    portfolio = ids(client, "requirement", "portfolio")  # served by system-design and initiative
    assert versions(store, client, requirement_id=portfolio) == [7, 9, 10, 12, 13, 14, 15, 16, 17]
    partners = ids(client, "requirement", "partners")  # served by lead-feature
    assert versions(store, client, requirement_id=partners) == [8, 10, 11, 18]


def test_a_goal_that_served_a_requirement_once_stays_in_its_history(seeded):
    store, _, plans, client, _ = seeded
    mentor, partners = ids(client, "goal", "mentor"), ids(client, "requirement", "partners")
    serves = (Contribution(partners, "Builds trust across teams."),)
    plans.execute(
        client, c.RefineGoal(goal_id=mentor, changes=TermsPatch(serves=serves)), context()
    )
    back = (Contribution(ids(client, "requirement", "mentor"), "Shows coaching ability."),)
    plans.execute(client, c.RefineGoal(goal_id=mentor, changes=TermsPatch(serves=back)), context())
    assert versions(store, client, requirement_id=partners) == [8, 10, 11, 12, 18, 19, 20, 21]


def test_goal_and_requirement_together_keep_what_concerns_both(seeded):
    store, _, _, client, _ = seeded
    both = versions(
        store,
        client,
        goal_id=ids(client, "goal", "system-design"),
        requirement_id=ids(client, "requirement", "partners"),
    )
    assert both == [10]  # lead-feature serves partners and follows system-design
    typed = versions(
        store, client, goal_id=ids(client, "goal", "system-design"), types=("MilestoneAdded",)
    )
    assert typed == [13, 14, 15]


def test_a_filtered_history_pages_by_version(seeded):
    store, _, _, client, _ = seeded
    goal, seen, after = ids(client, "goal", "system-design"), [], 0
    while True:
        page = queries.history_page(store, {}, client, goal_id=goal, after_version=after, limit=3)
        seen += [entry["version"] for entry in page.entries]
        if page.next_version is None:
            break
        after = page.next_version
    assert seen == SYSTEM_DESIGN


def test_a_page_of_a_long_stream_reads_only_what_it_shows(seeded):
    """10,000 check-ins on one goal: a page about another goal decodes only its own events.

    The filters run in SQL: the rows decoded are the stream's few goal-defining
    events (GoalSet, GoalRefined, ReviewStarted) and the page, never the stream.
    """
    store, codec, _, client, clock = seeded
    busy = ids(client, "goal", "system-design")
    for batch in range(20):
        check_ins = [
            CheckInRecorded(
                occurred_at=clock.now + timedelta(minutes=batch * 500 + n),
                goal_id=busy,
                check_in_id=f"ci-{batch}-{n}",
                value=1.0,
                confidence=7,
            )
            for n in range(500)
        ]
        records = to_new_events(client, check_ins, {"organisation_id": "org-a"}, None)
        store.append(stream_id(client), records, expected_version=19 + batch * 500)
    codec.decoded = 0
    page = queries.history_page(store, {}, client, goal_id=ids(client, "goal", "mentor"), limit=2)
    assert [e["version"] for e in page.entries] == [11, 12] and page.next_version == 12
    assert codec.decoded <= 4 + 3  # the four GoalSets, and the page with its one look-ahead
    codec.decoded = 0
    tail = queries.history_page(store, {}, client, goal_id=busy, after_version=10_000, limit=50)
    assert [e["version"] for e in tail.entries] == list(range(10_001, 10_020))
    assert codec.decoded <= 4 + 19
