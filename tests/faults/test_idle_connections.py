"""Pooled connections that the database dropped while they sat idle are replaced, not lent out dead."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from eventstore.engine import IDLE_BEFORE_PING, autocommit_engine, make_engine

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


def test_connections_dropped_while_idle_are_replaced_on_both_pools(postgres_engine, proxy):
    url = postgres_engine.url.set(host="127.0.0.1", port=proxy.port)
    engine = make_engine(
        url.render_as_string(hide_password=False), connect_args={"sslmode": "disable"}
    )
    reader = autocommit_engine(engine)
    for pool_user in (engine, reader):
        with pool_user.connect() as conn:  # one pooled connection each, then idle
            conn.execute(sa.text("SELECT 1"))

    dropped = proxy.cut()
    time.sleep(IDLE_BEFORE_PING + 0.2)

    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    with reader.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    print(
        f"\nfault: {dropped} idle pooled connections dropped — the next checkout of each pool succeeded, 0 failed"
    )
    reader.dispose()
    engine.dispose()
