"""A chunk of client digests read and written together stores what each client digested alone would."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from plan_histories import context, enrol_seed_client, random_step
from polling import eventually
from test_webhooks import allow
from test_workers_stub import stub  # noqa: F401 - the StubBroker fixture

from domain.dates import end_of_day
from domain.errors import DomainError
from projections.business_time import view_as_on
from projections.tables import LIVE
from services.digests import client_digest, generation, to_html, to_markdown
from services.digests import runs as digest_runs
from services.digests.tables import digest_run_items, digests
from services.digests.tables import digest_runs as runs_table
from services.jobs.tables import outbox
from services.plans.event_mapping import stream_id
from services.webhooks import endpoints
from services.webhooks.tables import webhook_deliveries

COMPARED = ("subject", "kind", "period_key", "content", "markdown", "html", "provisional")


@pytest.fixture
def chunk(stub):  # noqa: F811 - the fixture imported above
    """(services, run_id, clients): a weekly run of four clients, one of them enrolled after the week."""
    services, clock = stub[0], stub[1]
    allow(services.engine, "hooks.example.com")
    endpoints.register_endpoint(services.engine, "org-a", "https://hooks.example.com/a")
    clients = [enrol_seed_client(services.plans, clock) for _ in range(3)]
    for n, client in enumerate(clients):  # histories that differ from client to client
        for step in range(3 * n):
            clock.now += timedelta(hours=7)
            try:
                services.plans.execute(client, random_step(client, step, 7 * n + step), context())
            except DomainError:
                pass
    run_day = clock.now + timedelta(weeks=1)
    clock.now = run_day + timedelta(days=1)
    clients.append(enrol_seed_client(services.plans, clock))  # after the week: no digest
    # every client's view (another session's open transaction may hold the feed back a while)
    assert eventually(lambda: services.projections.catch_up() >= 0 and enrolled(services) == 4)
    run_id = digest_runs.start_run(services.engine, "org-a", "weekly", run_day)
    return services, run_id, sorted(clients)


def enrolled(services) -> int:
    views = LIVE.client_views
    with services.engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).where(views.c.organisation_id == "org-a")
        ).scalar_one()


def stored(engine) -> dict[str, dict]:
    """The stored client digests by subject, the columns a reader compares."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(*(digests.c[name] for name in COMPARED)).where(
                digests.c.subject.like("client:%")
            )
        ).mappings()
        return {row["subject"]: dict(row) for row in rows}


def statuses(engine, run_id: str) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(digest_run_items.c.subject, digest_run_items.c.status).where(
                digest_run_items.c.run_id == run_id, digest_run_items.c.subject.like("client:%")
            )
        )
        return dict(rows.all())


def notices(engine) -> list[str]:
    """The subjects of the queued digest.ready notices, one per delivery."""
    with engine.connect() as conn:
        payloads = conn.execute(
            sa.select(webhook_deliveries.c.payload).where(
                webhook_deliveries.c.event_type == "digest.ready"
            )
        ).scalars()
        return sorted(payload["subject"] for payload in payloads)


def forget_the_run(engine, run_id: str) -> None:
    """Back to before the run's client digests: none stored, none notified, every item pending."""
    with engine.begin() as conn:
        conn.execute(digests.delete())
        conn.execute(webhook_deliveries.delete())
        conn.execute(outbox.delete())
        conn.execute(
            digest_run_items.update()
            .where(digest_run_items.c.run_id == run_id)
            .values(status="pending", error=None)
        )
        conn.execute(runs_table.update().values(clients_finished_at=None))


def reference(services, run_id: str, clients: list[str]) -> dict[str, dict]:
    """Each client's digest composed alone from their stream read alone, rendered (none if not enrolled)."""
    with services.engine.connect() as conn:
        run = (
            conn.execute(sa.select(runs_table).where(runs_table.c.run_id == run_id))
            .mappings()
            .one()
        )
    made = {}
    for client in clients:
        events = services.store.read_stream(stream_id(client))
        view = view_as_on(client, events, end_of_day(run["period_end"], "UTC"))
        if view["client"]["enrolled_at"] is None:
            continue
        end, start = run["period_end"], run["period_start"]
        digest = client_digest(view, end, start, end, late_corrections=[])
        made[f"client:{client}"] = {
            "subject": f"client:{client}",
            "kind": "weekly",
            "period_key": run["period_key"],
            "content": digest,
            "markdown": to_markdown(digest),
            "html": to_html(digest),
            "provisional": False,
        }
    return made


def test_a_chunk_stores_what_each_client_digested_alone_stores(chunk):
    services, run_id, clients = chunk
    engine, store = services.engine, services.store

    assert generation.generate_client_digests(engine, store, run_id, clients) == 3
    together = stored(engine), statuses(engine, run_id), notices(engine)

    forget_the_run(engine, run_id)
    alone = sum(generation.generate_client_digests(engine, store, run_id, [c]) for c in clients)
    assert alone == 3
    assert (stored(engine), statuses(engine, run_id), notices(engine)) == together

    expected = reference(services, run_id, clients)
    assert together[0] == expected and len(expected) == 3
    assert together[1] == dict.fromkeys((f"client:{c}" for c in clients), "done")
    assert together[2] == sorted(expected)  # one notice per digest written, to the one endpoint

    # a redelivery of the chunk writes nothing and notifies nobody again
    assert generation.generate_client_digests(engine, store, run_id, clients) == 0
    assert (stored(engine), notices(engine)) == (together[0], together[2])


def test_when_the_chunks_transaction_fails_each_digest_is_stored_in_its_own(chunk, monkeypatch):
    services, run_id, clients = chunk
    real = generation.insert_all_unless_present

    def only_one_at_a_time(conn, table, rows, returning):
        if len(rows) > 1:
            raise sa.exc.OperationalError("INSERT", {}, Exception("the chunk's insert failed"))
        return real(conn, table, rows, returning)

    monkeypatch.setattr(generation, "insert_all_unless_present", only_one_at_a_time)
    assert generation.generate_client_digests(services.engine, services.store, run_id, clients) == 3
    assert stored(services.engine) == reference(services, run_id, clients)
    assert set(statuses(services.engine, run_id).values()) == {"done"}


def test_a_digest_that_cannot_be_stored_fails_only_its_own_item(chunk, monkeypatch):
    services, run_id, clients = chunk
    expected = reference(services, run_id, clients)
    real, bad = generation.insert_all_unless_present, sorted(expected)[0]  # one with a digest

    def refuse_one(conn, table, rows, returning):
        if any(row["subject"] == bad for row in rows):
            raise sa.exc.DataError("INSERT", {}, Exception("this digest is refused"))
        return real(conn, table, rows, returning)

    monkeypatch.setattr(generation, "insert_all_unless_present", refuse_one)

    with pytest.raises(generation.DigestsFailed, match="1 client digest"):
        generation.generate_client_digests(services.engine, services.store, run_id, clients)

    expected.pop(bad)
    assert stored(services.engine) == expected
    items = statuses(services.engine, run_id)
    assert items.pop(bad) == "failed" and set(items.values()) == {"done"}


def test_when_the_chunks_streams_cannot_be_read_together_each_is_read_alone(chunk, monkeypatch):
    services, run_id, clients = chunk

    def unreadable(stream_ids):
        raise sa.exc.OperationalError("SELECT", {}, Exception("the chunk's read failed"))

    monkeypatch.setattr(services.store, "read_streams", unreadable)

    assert generation.generate_client_digests(services.engine, services.store, run_id, clients) == 3
    assert stored(services.engine) == reference(services, run_id, clients)


def test_a_new_run_leaves_the_planner_statistics_of_its_items(chunk):
    services, run_id, clients = chunk
    if services.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with services.engine.connect() as conn:
        estimated = conn.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('digest_run_items')")
        ).scalar_one()
    # -1 until analysed; the run's four clients, a coach and the organisation
    assert estimated == 6
