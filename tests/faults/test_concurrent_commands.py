"""32 threads commanding one client over HTTP at once: no lost update, every loser told so.

With If-Match, each thread reads the plan's ETag and sends a check-in naming
it: exactly one command per version seen wins, the others get 412. Without
If-Match, the server decides again on the current plan after a conflict (a few
times), and a command it still cannot place gets 409. Either way, the stream
holds exactly one event per 2xx answer, in contiguous versions.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import pytest
from live_api import TIMEOUT_SECONDS, Answer
from seeded_clients import enrol_seed_clients, stored_check_ins

from services.plans.event_mapping import stream_id

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

THREADS = 32
ROUNDS = 3


def race(send) -> list[tuple[str, str | None, Answer]]:
    """Run `send(check_in_id)` from 32 threads, started together, ROUNDS times each.

    A thread that fails breaks the barrier, so the others stop instead of waiting
    for it forever, and its error is raised here.
    """
    barrier, results, errors, lock = threading.Barrier(THREADS), [], [], threading.Lock()

    def worker():
        try:
            for _ in range(ROUNDS):
                check_in = str(uuid.uuid4())
                barrier.wait(TIMEOUT_SECONDS)
                seen, answer = send(check_in)
                with lock:
                    results.append((check_in, seen, answer))
        except threading.BrokenBarrierError:
            pass
        except Exception as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    assert len(results) == THREADS * ROUNDS, "a barrier broke without an error: see the timeout"
    return results


def audit(live, client: str, before: int, results, loser_status: int, variant: str) -> None:
    """One event per 2xx, none for a loser, versions contiguous; print what was tried and lost."""
    statuses = Counter(answer.status for _, _, answer in results)
    winners = {check_in for check_in, _, answer in results if answer.status == 201}
    stored = stored_check_ins(live.services, client)[before:]
    versions = [e.stream_version for e in live.services.store.read_stream(stream_id(client))]
    stale = sum(
        1
        for _, seen, answer in results
        if seen is not None
        and answer.status == 201
        and answer.body["version"] != int(seen.strip('"')) + 1
    )
    lost = len(winners - set(stored)) + (len(versions) - len(set(versions))) + stale
    duplicated = len(stored) - len(set(stored))
    smuggled = len(set(stored) - winners)  # stored although the caller was told it lost
    print(
        f"\nfault: {THREADS} threads × {ROUNDS} commands on one client {variant} — {len(results)} requests, "
        f"{statuses[201]} accepted, {statuses[loser_status]} answered {loser_status}; {lost} updates lost "
        f"(not stored, version reused, or stale If-Match accepted), {duplicated} duplicated, "
        f"{smuggled} stored for a loser"
    )
    assert set(statuses) <= {201, loser_status}, statuses
    for _, _, answer in results:
        if answer.status == loser_status:
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["etag"]  # the version to read again from
    assert (lost, duplicated, smuggled) == (0, 0, 0)
    assert len(stored) == statuses[201]
    assert versions == list(range(1, len(versions) + 1))


def test_if_match_lets_one_command_per_version_win(live):
    (client,) = enrol_seed_clients(live.services, live.organisation_id, 1)
    before = len(stored_check_ins(live.services, client))

    def send(check_in: str):
        etag = live.caller.request("GET", f"/v1/clients/{client}").headers["etag"]
        return etag, live.caller.check_in(client, check_in, {"If-Match": etag})

    results = race(send)
    audit(live, client, before, results, 412, "with If-Match")
    won = Counter(seen for _, seen, answer in results if answer.status == 201)
    assert max(won.values()) == 1, won  # never two winners against the same version


def test_without_if_match_the_server_retries_and_loses_nothing(live):
    (client,) = enrol_seed_clients(live.services, live.organisation_id, 1)
    before = len(stored_check_ins(live.services, client))

    results = race(lambda check_in: (None, live.caller.check_in(client, check_in)))
    audit(live, client, before, results, 409, "without If-Match")
    assert (
        len({answer.body["version"] for _, _, answer in results if answer.status == 201})
        == Counter(answer.status for _, _, answer in results)[201]
    )
