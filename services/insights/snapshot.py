"""Every figure of a cohort insight read in one snapshot, on PostgreSQL in two halves at once.

The goal figures and the client figures (reviews, momentum, attention) take
about as long each; on PostgreSQL the second half runs on a second
connection in a helper thread that imports the first's snapshot
(`pg_export_snapshot`, `SET TRANSACTION SNAPSHOT`), so both halves see the
same rows and the request waits for the slower half only. SQLite reads both
halves in one transaction, one after the other.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from projections.insight_tables import InsightTables
from services.insights import figures, goals
from services.insights.scope import Scope

_SNAPSHOT_ID = re.compile(r"^[0-9A-F-]+$")
_HELPERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="insight")
_REPEATABLE = {"isolation_level": "REPEATABLE READ"}


def _client_figures(conn: sa.Connection, tables: InsightTables, scope: Scope) -> dict:
    return {
        "reviews": figures.review_outcomes(conn, tables, scope),
        "momentum": figures.momentum(conn, tables, scope),
        "attention": figures.attention(conn, tables, scope),
    }


def _in_snapshot(engine: sa.Engine, snapshot: str, tables: InsightTables, scope: Scope) -> dict:
    with engine.connect().execution_options(**_REPEATABLE) as conn, conn.begin():
        conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")  # the server's own id
        return _client_figures(conn, tables, scope)


def compute(engine: sa.Engine, tables: InsightTables, scope: Scope) -> dict:
    """Every figure of the insight for `scope`, all read in one snapshot of the fact rows."""
    if engine.dialect.name != "postgresql":
        with engine.connect() as conn, conn.begin():
            return {
                **goals.goal_figures(conn, tables, scope),
                **_client_figures(conn, tables, scope),
            }
    with engine.connect().execution_options(**_REPEATABLE) as conn, conn.begin():
        snapshot = conn.execute(sa.select(sa.func.pg_export_snapshot())).scalar_one()
        if not _SNAPSHOT_ID.match(snapshot):
            raise ValueError(f"unexpected snapshot id {snapshot!r}")
        other_half = _HELPERS.submit(_in_snapshot, engine, snapshot, tables, scope)
        found = goals.goal_figures(conn, tables, scope)
        return {**found, **other_half.result()}
