"""A realistic client history, made once through the domain and cloned for many clients."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from domain import commands as c
from domain.decide import decide
from domain.events import EVENT_TYPES, event_to_data
from domain.plan import CareerPlan

TEMPLATE_CLIENT = "template-client"
# Base64 of 32 fixed bytes: what MASTER_KEY holds in every bench (a bench, not a secret).
BENCH_MASTER_KEY = "YmVuY2gtYXBpLW1hc3Rlci1rZXktMzItYnl0ZXMtLS0="
Seal = Callable[[str, uuid.UUID, str, dict], dict]


def bench_sealer(engine):
    """The production sealer (per-client data keys wrapped by BENCH_MASTER_KEY) on a bench database."""
    import base64

    from services.privacy.client_keys import ClientKeys
    from services.privacy.sealing import ClientDataSealer

    return ClientDataSealer(ClientKeys(engine, base64.b64decode(BENCH_MASTER_KEY)))


def template_history(events_per_client: int = 100) -> list[tuple[str, int, dict]]:
    """(type, schema version, data) of one client's ~year of coaching, built by commands."""
    start = datetime(2025, 11, 3, 9, 0, tzinfo=timezone.utc)
    plan, history = CareerPlan(), []

    def run(command, at: datetime) -> None:
        for event in decide(plan, command, at):
            plan.apply(event)
            history.append(event)

    for command in seed_example_commands(TEMPLATE_CLIENT, "org-bench", "coach-1", start.date()):
        run(command, start)
    goal = seed_id(TEMPLATE_CLIENT, "goal", GOAL_KEYS[0])
    week = 0
    while len(history) < events_per_client:
        at = start + timedelta(days=7 * week + 1)
        milestone = seed_id(TEMPLATE_CLIENT, "bench-milestone", str(week))
        run(
            c.AddMilestone(
                goal_id=goal, milestone_id=milestone, title="Read one chapter", estimate_minutes=45
            ),
            at,
        )
        run(c.CompleteMilestone(goal_id=goal, milestone_id=milestone), at + timedelta(days=2))
        check_in = seed_id(TEMPLATE_CLIENT, "bench-check-in", str(week))
        value = float(min(week, 10))
        run(
            c.RecordCheckIn(
                goal_id=goal, check_in_id=check_in, confidence=5 + week % 5, value=value
            ),
            at + timedelta(days=3),
        )
        week += 1
    return [
        (type(e).__name__, EVENT_TYPES[type(e).__name__].schema_version, event_to_data(e))
        for e in history[:events_per_client]
    ]


def client_id(n: int) -> str:
    """The id of the n-th cloned client (a UUID, as the API expects)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-client-{n}"))


def cloned_rows(
    clients: int,
    events_per_client: int,
    organisation_id: str = "org-bench",
    seal: Seal | None = None,
) -> Iterator[tuple]:
    """COPY rows for `clients` clients, interleaved as a live feed would be, personal fields sealed as stored."""
    template = template_history(events_per_client)
    texts = [(t, v, json.dumps(d)) for t, v, d in template]
    metadata = json.dumps({"organisation_id": organisation_id, "actor": "bench"})
    for index, (type_, version, text) in enumerate(texts):
        for n in range(clients):
            client = client_id(n)
            data = text
            if type_ == "ClientEnrolled":
                data = text.replace(TEMPLATE_CLIENT, client).replace("org-bench", organisation_id)
            event_id, stream = uuid.uuid4(), f"client-{client}"
            if seal is not None:
                data = json.dumps(seal(stream, event_id, type_, json.loads(data)))
            yield (stream, index + 1, event_id, type_, version, data, metadata)
