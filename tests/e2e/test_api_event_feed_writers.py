"""Done when: a reader follows /v1/events with small pages while 8 writers append, and sees every event once."""

from __future__ import annotations

import threading
import time
import uuid

from careerplan.seed_example import seed_example_commands, seed_id
from domain import commands as c
from services.plans import CommandContext

WRITERS, COMMANDS = 8, 25


def context(organisation_id: str) -> CommandContext:
    return CommandContext(organisation_id, actor="test-writer", correlation_id=str(uuid.uuid4()))


def enrol(services, organisation_id: str) -> str:
    client = str(uuid.uuid4())
    for command in seed_example_commands(
        client, organisation_id, "coach-1", services.clock().date()
    ):
        services.plans.execute(client, command, context(organisation_id))
    return client


def check_ins(services, organisation_id: str, client: str, count: int) -> None:
    goal = seed_id(client, "goal", "system-design")
    for n in range(count):
        command = c.RecordCheckIn(
            goal_id=goal, check_in_id=str(uuid.uuid4()), confidence=1 + n % 10, value=float(n)
        )
        services.plans.execute(client, command, context(organisation_id))
        time.sleep(0.02)  # spread the writes over the reader's pages


def test_a_follower_of_the_feed_sees_every_event_once_while_eight_writers_append(
    admin_a, admin_b, services
):
    ours = [enrol(services, admin_a.organisation_id) for _ in range(WRITERS)]
    theirs = enrol(services, admin_b.organisation_id)
    start = threading.Barrier(WRITERS + 2)

    def write(organisation_id: str, client: str) -> None:
        start.wait()
        check_ins(services, organisation_id, client, COMMANDS)

    threads = [
        threading.Thread(target=write, args=(admin_a.organisation_id, client)) for client in ours
    ]
    threads.append(threading.Thread(target=write, args=(admin_b.organisation_id, theirs)))
    for thread in threads:
        thread.start()

    expected = WRITERS * (19 + COMMANDS)  # the seed's 19 events per client, then the check-ins
    seen, cursor, pages, while_writing = [], None, 0, 0
    start.wait()
    deadline = time.monotonic() + 120
    while len(seen) < expected and time.monotonic() < deadline:
        while_writing += any(thread.is_alive() for thread in threads)
        query = {"limit": 3 + pages % 3, **({"cursor": cursor} if cursor else {})}
        response = admin_a.get("/v1/events", query_string=query)
        assert response.status_code == 200, response.json
        seen += [item["event_id"] for item in response.json["items"]]
        cursor, pages = response.json["next_cursor"], pages + 1
        assert cursor is not None
    for thread in threads:
        thread.join()

    everything = [
        str(e.event_id)
        for e in services.store.read_all(limit=100_000)
        if e.metadata["organisation_id"] == admin_a.organisation_id
    ]
    assert len(everything) == expected
    assert seen == everything  # each event once, in commit order, none of B's
    assert admin_a.get("/v1/events", query_string={"cursor": cursor}).json["items"] == []
    assert pages > expected / 5 and while_writing > 10  # small pages, read while the writers wrote
