"""Readiness: whether the database answers, for load balancers and orchestrators."""

from __future__ import annotations

import sqlalchemy as sa


def database_problem(engine: sa.Engine) -> str | None:
    """None when the database answers a trivial query; else the name of the error it raised."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        return type(error).__name__
    return None
