"""Client data keys: wrapped by the master key, made once, refused once destroyed; MASTER_KEY is required."""

from __future__ import annotations

import base64
import os
import threading
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag

from careerplan.settings import Settings, SettingsError, load_settings
from eventstore import EventStore, NewEvent
from services.access.tables import client_keys
from services.plans import ClientForgotten
from services.plans.event_mapping import domain_codec, stream_id
from services.privacy.client_keys import ClientKeys, WrongMasterKey
from services.privacy.sealing import SEALED, ClientDataSealer

MASTER = os.urandom(32)
NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)


def test_a_data_key_is_made_once_and_stored_only_wrapped(engine):
    keys = ClientKeys(engine, MASTER)
    results: list[bytes] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(ClientKeys(engine, MASTER).for_sealing("c-1"))
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(results)) == 1 and len(results[0]) == 32
    assert keys.for_opening(["c-1", "c-2"]) == {"c-1": results[0]}  # c-2 has no key yet
    with engine.connect() as conn:
        wrapped = conn.execute(sa.select(client_keys.c.wrapped_key)).scalar_one()
    assert results[0] not in bytes(wrapped)


def test_another_master_key_is_refused_by_name(engine):
    ClientKeys(engine, MASTER).for_sealing("c-1")
    with pytest.raises(WrongMasterKey, match="MASTER_KEY"):
        ClientKeys(engine, os.urandom(32)).for_opening(["c-1"])


def test_a_destroyed_key_opens_nothing_and_seals_nothing(engine):
    keys = ClientKeys(engine, MASTER)
    keys.for_sealing("c-1")
    with engine.begin() as conn:
        assert keys.destroy(conn, "c-1", "dpo", NOW)
        assert not keys.destroy(conn, "c-1", "dpo", NOW)

    assert keys.for_opening(["c-1"]) == {"c-1": None}
    with pytest.raises(ClientForgotten):
        ClientKeys(engine, MASTER).for_sealing("c-1")


def test_a_key_read_for_opening_seals_without_asking_the_table_again(engine):
    made = ClientKeys(engine, MASTER).for_sealing("c-1")
    keys = ClientKeys(engine, MASTER)  # another process: nothing cached yet
    assert keys.for_opening(["c-1"]) == {"c-1": made}
    statements = []

    def seen(_conn, _cursor, statement, *_):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        assert keys.for_sealing("c-1") == made
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert statements == []


def test_sealed_data_is_bound_to_its_event(engine):
    """Ciphertext copied into another event does not open there (the event id is authenticated data)."""
    store = EventStore(engine, domain_codec(ClientDataSealer(ClientKeys(engine, MASTER))))
    client = str(uuid.uuid4())
    stored = store.append(
        stream_id(client),
        [
            NewEvent(
                "GoalPaused",
                {"goal_id": "g", "reason": "moving house", "occurred_at": NOW.isoformat()},
            ),
            NewEvent(
                "GoalPaused", {"goal_id": "g", "reason": "new baby", "occurred_at": NOW.isoformat()}
            ),
        ],
        expected_version=0,
    )
    with engine.connect() as conn:
        rows = (
            conn.execute(sa.text("SELECT data FROM events ORDER BY stream_version")).scalars().all()
        )
    assert not any(text in str(row) for row in rows for text in ("moving house", "new baby"))
    assert [e.data["reason"] for e in store.read_stream(stream_id(client))] == [
        "moving house",
        "new baby",
    ]

    sealer = ClientDataSealer(ClientKeys(engine, MASTER))
    swapped = {
        **stored[1].data,
        SEALED: sealer.seal(stream_id(client), stored[0].event_id, "GoalPaused", stored[0].data)[
            SEALED
        ],
    }
    with pytest.raises(InvalidTag):
        sealer.opener([stream_id(client)])(stream_id(client), stored[1].event_id, swapped)


def test_the_master_key_is_required_outside_the_embedded_default(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/careerplan")
    monkeypatch.setenv("API_KEY_SECRET", "k" * 32)
    monkeypatch.delenv("MASTER_KEY", raising=False)
    with pytest.raises(SettingsError, match="MASTER_KEY"):
        load_settings()
    monkeypatch.setenv("MASTER_KEY", base64.b64encode(os.urandom(16)).decode())
    with pytest.raises(SettingsError, match="MASTER_KEY"):
        load_settings()
    key = base64.b64encode(MASTER).decode()
    monkeypatch.setenv("MASTER_KEY", key)
    assert load_settings().data_master_key == MASTER
    assert len(Settings().data_master_key) == 32  # the embedded SQLite default has one
