"""A failing statement's error (and so any log of it) never carries its bound values."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventstore.engine import autocommit_engine

SECRET = "whsec_do-not-log-me-0123456789"


@pytest.mark.parametrize("autocommit", [False, True], ids=["engine", "autocommit engine"])
def test_a_failing_statement_names_no_bound_value(engine, autocommit):
    target = autocommit_engine(engine) if autocommit else engine
    with pytest.raises(sa.exc.DBAPIError) as failure, target.connect() as conn:
        conn.execute(
            sa.text("INSERT INTO no_such_table (secret) VALUES (:secret)"), {"secret": SECRET}
        )
    assert SECRET not in str(failure.value)
    assert "hidden" in str(failure.value)
