"""PostgreSQL dropped under the API: 503 with Retry-After (never 500), nothing partial, no restart needed.

The app reaches PostgreSQL only through a TCP proxy of the test's own. The
proxy cuts every connection exactly when a command's INSERT goes by (before
it reaches the server, or just after, so the answer is lost), then drops
everything and refuses new connections while requests keep coming. Every
command that got a 503 is then sent again with the same check-in id: it is
stored once whichever way its first attempt ended.
"""

from __future__ import annotations

import contextlib
import uuid

import pytest
from live_api import schema_of, serve, wait_for
from seeded_clients import enrol_seed_clients
from traffic import Traffic, assert_unavailable, settle

from eventstore.engine import make_engine

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

APPEND = b"INSERT INTO events"


def test_a_dropped_database_answers_503_and_the_same_app_recovers(live_behind_proxy, proxy):
    live = live_behind_proxy
    clients = enrol_seed_clients(live.services, live.organisation_id, 4)
    traffic = Traffic(live)
    assert traffic.send(clients[0], str(uuid.uuid4())).status == 201

    # Cut exactly mid-command: before the INSERT reaches the server, then just after it.
    for forward in (False, True, False, True):
        wire = proxy.trip_on(APPEND, forward=forward)
        assert_unavailable(traffic.send(clients[0], str(uuid.uuid4())))
        assert wire.tripped.is_set()
        assert traffic.send(clients[0], str(uuid.uuid4())).status == 201  # reconnected, no restart

    # An outage under load: everything cut, new connections refused, then the database is back.
    threads = traffic.run(clients)
    try:
        wait_for(lambda: traffic.count(201) >= 16, "commands accepted before the outage")
        proxy.refuse()
        cut = proxy.cut()
        unavailable_before = traffic.count(503)
        wait_for(
            lambda: traffic.count(503) >= unavailable_before + 12,
            "requests answered during the outage",
        )
        assert live.caller.request("GET", "/ready").status == 503
        proxy.refuse(False)
        accepted_before = traffic.count(201)
        wait_for(
            lambda: traffic.count(201) >= accepted_before + 12, "commands accepted after the outage"
        )
    finally:
        traffic.stop(threads)
    assert live.caller.request("GET", "/ready").status == 200

    statuses = traffic.statuses()
    # Every command that got a 503 again, with its own id: stored now, or found already stored.
    ledger = settle(live, traffic, clients)
    commands = [answer for _, check_in, answer in traffic.answers if check_in]
    print(
        f"\nfault: postgres drop — {len(traffic.answers)} requests ({len(commands)} commands), "
        f"{statuses[503]} answered 503 (4 cut mid-command, {cut} connections cut in the outage, "
        f"{proxy.refused} connections refused), {statuses[201]} commands accepted; "
        f"{ledger.summary()}"
    )
    ledger.assert_whole()


def test_an_exhausted_connection_pool_answers_503(postgres_engine):
    """Every connection busy past the pool's timeout: 503 with Retry-After, and served once they are free."""
    size = 3
    engine = make_engine(
        postgres_engine.url.render_as_string(hide_password=False),
        connect_args={"options": f"-c search_path={schema_of(postgres_engine)}"},
        pool_size=size,
        max_overflow=0,
        pool_timeout=0.5,
    )
    live = serve(engine)
    try:
        (client,) = enrol_seed_clients(live.services, live.organisation_id, 1)
        with contextlib.ExitStack() as held:
            for pool in (engine, live.services.store.reader):
                for _ in range(size):
                    held.enter_context(pool.connect())
            busy = live.caller.request("GET", f"/v1/clients/{client}")
        served = live.caller.request("GET", f"/v1/clients/{client}")
    finally:
        live.close()
        engine.dispose()
    print(
        f"\nfault: connection pool exhausted — 2 requests, {int(busy.status == 503)} answered 503 while every "
        f"connection was busy, {int(served.status == 200)} served once they were free; 0 events lost, 0 duplicated"
    )
    assert_unavailable(busy)
    assert served.status == 200, served
