"""Clients with the seed's example plan for the fault tests, and what their streams hold."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

from coaches_support import add_coaches

from careerplan.bootstrap import Services
from careerplan.seed_example import seed_example_commands
from domain.decide import decide
from domain.plan import CareerPlan
from services.plans import CommandContext
from services.plans.event_mapping import stream_id, to_new_events


def enrol_seed_clients(services: Services, organisation_id: str, count: int) -> list[str]:
    """`count` clients with the seed's example plan, enrolled through the application service."""
    add_coaches(services, organisation_id, "coach-1")
    clients = []
    for _ in range(count):
        client = str(uuid.uuid4())
        context = CommandContext(
            organisation_id, actor="fault-test", correlation_id=str(uuid.uuid4())
        )
        for command in seed_example_commands(client, organisation_id, "coach-1", date.today()):
            services.plans.execute(client, command, context)
        clients.append(client)
    return clients


def clone_seed_clients(services: Services, organisation_id: str, count: int) -> list[str]:
    """`count` clients with the seed's plan, its events decided once and appended per client (fast)."""
    plan, template = CareerPlan(), []
    for command in seed_example_commands("template", organisation_id, "coach-1", date.today()):
        for event in decide(plan, command, services.clock()):
            plan.apply(event)
            template.append(event)
    clients = [str(uuid.uuid4()) for _ in range(count)]
    for client in clients:
        enrolled = dataclasses.replace(template[0], client_id=client)
        records = to_new_events(
            client, [enrolled, *template[1:]], {"organisation_id": organisation_id}, None
        )
        services.store.append(stream_id(client), records, expected_version=0)
    return clients


def stored_check_ins(services: Services, client_id: str) -> list[str]:
    """The check-in ids stored on the client's stream, in order, repeats included."""
    return [
        e.data["check_in_id"]
        for e in services.store.read_stream(stream_id(client_id))
        if e.type == "CheckInRecorded"
    ]
