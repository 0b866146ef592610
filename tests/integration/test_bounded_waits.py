"""Every PostgreSQL engine bounds its waits: server-side timeouts, and a deadline cutting what still waits."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from eventstore.deadline import deadline
from eventstore.engine import make_engine
from eventstore.waits import Waits
from services.errors import database_unavailable

pytestmark = pytest.mark.postgres


@pytest.fixture
def short_engine(postgres_engine):
    engine = make_engine(
        postgres_engine.url.render_as_string(hide_password=False),
        waits=Waits(statement_timeout_ms=300, lock_timeout_ms=200),
        connect_args={"options": "-c application_name=bounded"},
    )
    yield engine
    engine.dispose()


def test_the_timeouts_are_set_and_the_callers_options_kept(short_engine):
    with short_engine.connect() as conn:
        shown = [
            conn.execute(sa.text(f"SHOW {name}")).scalar_one()
            for name in ("statement_timeout", "lock_timeout", "application_name")
        ]
    assert shown == ["300ms", "200ms", "bounded"]


def test_a_statement_past_its_timeout_is_a_database_unavailable_error(short_engine):
    with pytest.raises(sa.exc.OperationalError) as raised, short_engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_sleep(5)"))
    assert database_unavailable(raised.value)


def test_a_deadline_cuts_a_connection_still_waiting_and_the_pool_recovers(postgres_engine):
    started = time.monotonic()
    with pytest.raises(sa.exc.OperationalError) as raised, deadline(0.5):
        with postgres_engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_sleep(10)"))
    assert time.monotonic() - started < 2.0
    assert database_unavailable(raised.value)
    with postgres_engine.connect() as conn:  # no restart: the next caller gets a good connection
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
