"""Plan events become webhook deliveries exactly once per event and endpoint, through the projection."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from plan_histories import context, enrol_seed_client
from polling import eventually
from test_webhooks import allow
from test_workers_stub import stub  # noqa: F401 - the StubBroker fixture

from careerplan.seed_example import seed_id
from domain import commands as c
from eventstore import FeedCursor
from projections.plan_notices import NOTICES, PlanNotices
from projections.tables import checkpoints
from services import webhooks
from services.jobs.tables import outbox
from services.webhooks import endpoints
from services.webhooks.tables import webhook_attempts, webhook_deliveries

URL = "https://hooks.example.com/a"


def deliveries(engine, endpoint_id: str) -> Counter:
    """How many deliveries of each notice type the endpoint has."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(webhook_deliveries.c.event_type).where(
                webhook_deliveries.c.endpoint_id == endpoint_id
            )
        ).scalars()
        return Counter(rows)


def outbox_messages(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count())
            .select_from(outbox)
            .where(outbox.c.actor_name == "deliver_webhook")
        ).scalar_one()


def follow_until(services, condition) -> None:
    """Follow the feed until `condition()` holds (another session's open transaction may hold it back)."""
    assert eventually(lambda: services.projections.catch_up() >= 0 and condition())


def replay_from_the_start(services) -> None:
    """Set the notices' checkpoint back to the first event and follow the feed again, to its head."""
    head = services.store.head()
    with services.engine.begin() as conn:
        conn.execute(
            checkpoints.update()
            .where(checkpoints.c.name == PlanNotices.name)
            .values(tx_id=FeedCursor.START.tx_id, position=FeedCursor.START.position)
        )
    follow_until(services, lambda: services.projections.checkpoint(PlanNotices.name) >= head)


def test_each_plan_event_is_queued_once_per_subscribed_enabled_endpoint_even_on_replay(
    stub,  # noqa: F811 - the StubBroker fixture imported above
):
    services, clock = stub[0], stub[1]
    engine = services.engine
    allow(engine, "hooks.example.com")
    every = endpoints.register_endpoint(engine, "org-a", URL)["endpoint_id"]
    achieved_only = endpoints.register_endpoint(engine, "org-a", URL, ["goal.achieved"])
    disabled = endpoints.register_endpoint(engine, "org-a", URL)["endpoint_id"]
    endpoints.update_endpoint(engine, "org-a", disabled, enabled=False)
    other_org = endpoints.register_endpoint(engine, "org-b", URL)["endpoint_id"]

    client = enrol_seed_client(services.plans, clock)
    clock.now += timedelta(days=3)
    goal = seed_id(client, "goal", "lead-feature")
    services.plans.execute(client, c.AchieveGoal(goal_id=goal), context())
    events = services.store.read_stream(f"client-{client}")
    expected = Counter(NOTICES[e.type][0] for e in events if e.type in NOTICES)
    follow_until(services, lambda: deliveries(engine, every) == expected)
    assert expected["goal.set"] >= 4 and expected["goal.achieved"] == 1
    assert deliveries(engine, every) == expected
    assert deliveries(engine, achieved_only["endpoint_id"]) == {"goal.achieved": 1}
    assert deliveries(engine, disabled) == Counter() == deliveries(engine, other_org)
    queued = outbox_messages(engine)
    assert queued == sum(expected.values()) + 1

    late = endpoints.register_endpoint(engine, "org-a", URL)["endpoint_id"]
    replay_from_the_start(services)
    assert deliveries(engine, every) == expected  # not one more
    assert deliveries(engine, late) == Counter()  # registered after the events: none of them
    assert outbox_messages(engine) == queued


def test_a_notice_names_the_event_and_its_ids_but_no_personal_text(stub):  # noqa: F811
    services, clock = stub[0], stub[1]
    allow(services.engine, "hooks.example.com")
    endpoint = endpoints.register_endpoint(services.engine, "org-a", URL, ["goal.set"])
    client = enrol_seed_client(services.plans, clock)
    follow_until(services, lambda: deliveries(services.engine, endpoint["endpoint_id"]))

    with services.engine.connect() as conn:
        payload = conn.execute(
            sa.select(webhook_deliveries.c.payload)
            .where(webhook_deliveries.c.endpoint_id == endpoint["endpoint_id"])
            .limit(1)
        ).scalar_one()
    assert payload["event"] == "GoalSet" and payload["client_id"] == client
    assert set(payload) == {
        "event_id",
        "event",
        "client_id",
        "occurred_at",
        "recorded_at",
        "goal_id",
        "replaces",
    }
    assert payload["occurred_at"] and payload["recorded_at"]


def test_deleting_an_endpoint_cancels_its_pending_deliveries_and_keeps_the_log(stub):  # noqa: F811
    services, clock = stub[0], stub[1]
    engine = services.engine
    allow(engine, "hooks.example.com")
    endpoint_id = endpoints.register_endpoint(engine, "org-a", URL)["endpoint_id"]
    enrol_seed_client(services.plans, clock)
    follow_until(services, lambda: deliveries(engine, endpoint_id))
    assert endpoints.delete_endpoint(engine, "org-a", endpoint_id)

    with engine.connect() as conn:
        statuses = set(
            conn.execute(
                sa.select(webhook_deliveries.c.status).where(
                    webhook_deliveries.c.endpoint_id == endpoint_id
                )
            ).scalars()
        )
    assert statuses == {"cancelled"}
    assert endpoints.endpoint_of(engine, "org-a", endpoint_id) is None
    assert not endpoints.delete_endpoint(engine, "org-a", endpoint_id)


def test_a_delivery_queued_before_its_endpoint_was_disabled_is_cancelled_not_sent(stub):  # noqa: F811
    services = stub[0]
    engine = services.engine
    allow(engine, "hooks.example.com")
    endpoint_id = endpoints.register_endpoint(engine, "org-a", URL)["endpoint_id"]
    with engine.begin() as conn:
        webhooks.notify(conn, "org-a", "digest.ready", "digest:d-1", {"digest_id": "d-1"})
    endpoints.update_endpoint(engine, "org-a", endpoint_id, enabled=False)
    with engine.connect() as conn:
        delivery_id = conn.execute(sa.select(webhook_deliveries.c.delivery_id)).scalar_one()

    webhooks.deliver(engine, delivery_id)  # the worker's turn: nothing is sent

    with engine.connect() as conn:
        delivery = conn.execute(sa.select(webhook_deliveries)).mappings().one()
        attempts = conn.execute(sa.select(sa.func.count()).select_from(webhook_attempts)).scalar()
    assert delivery["status"] == "cancelled" and delivery["attempts"] == 0 and attempts == 0
    with engine.begin() as conn:  # and while disabled, nothing new is queued
        assert webhooks.notify(conn, "org-a", "digest.ready", "digest:d-2", {}) == 0


def test_a_batch_of_notices_reads_each_organisations_endpoints_once(stub):  # noqa: F811
    services = stub[0]
    engine = services.engine
    allow(engine, "hooks.example.com")
    endpoint_id = endpoints.register_endpoint(engine, "org-a", URL)["endpoint_id"]
    notices = [
        webhooks.Notice(org, "goal.set", f"{org}:event-{n}", {"n": n})
        for n in range(50)
        for org in ("org-a", "org-b")
    ]
    reads = []

    def count_endpoint_reads(conn, cursor, statement, *args):
        if "FROM webhook_endpoints" in statement:
            reads.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count_endpoint_reads)
    try:
        with engine.begin() as conn:
            queued = webhooks.notify_all(conn, notices)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_endpoint_reads)

    assert queued == 50 and deliveries(engine, endpoint_id) == Counter({"goal.set": 50})
    assert len(reads) == 2  # org-a's endpoints once, org-b's (none) once
