"""Property: random command histories, stored in PostgreSQL, replay to the plan held in memory."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant, run_state_machine_as_test
from unit.domain.test_domain_properties import CareerPlanMachine

from domain.plan import CareerPlan
from eventstore import EventStore
from services.plans.event_mapping import domain_codec, stream_id, to_domain, to_new_events

pytestmark = pytest.mark.postgres


def test_stored_history_replays_to_the_in_memory_plan(postgres_engine):
    store = EventStore(postgres_engine, domain_codec())

    class StoredPlanMachine(CareerPlanMachine):
        """The domain's state machine, appending every decided event to the store."""

        def __init__(self) -> None:
            super().__init__()
            self.client = str(uuid.uuid4())

        def attempt(self, command) -> None:
            before = len(self.events)
            super().attempt(command)
            if new := self.events[before:]:
                records = to_new_events(self.client, new, {"organisation_id": "org"}, None)
                store.append(stream_id(self.client), records, expected_version=before)

        @invariant()
        def the_store_replays_to_the_same_plan(self) -> None:
            stored = store.read_stream(stream_id(self.client))
            assert CareerPlan.replay(to_domain(e) for e in stored) == self.plan

    run_state_machine_as_test(
        StoredPlanMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
