"""The cohort insight's other figures: review outcomes, momentum and attention, as of the range's end.

Each is one statement grouped in the database (day numbers, see
`projections.insight_tables`), so a request costs a handful of range scans
whatever the number of clients; the judgements are the views' own:

- review outcomes: the decisions recorded within [start, end].
- momentum: each active client's wins in the 30 days ending `end` against the
  30 days before (`projections.momentum.trend`'s direction), and a bucket of the first.
- needing attention: an active client with a stalled or overdue open goal,
  falling confidence, a review due by `end` or a critical finding (the caseload's score > 0).
"""

from __future__ import annotations

import sqlalchemy as sa

from projections.insight_tables import InsightTables
from services.insights.goals import stalled
from services.insights.scope import Scope, filters, share

WIN_BUCKETS = ("0", "1-2", "3-5", "6+")
DIRECTIONS = ("up", "flat", "down")
DECISIONS = ("keep", "tweak", "replace", "achieved", "dropped")


def review_outcomes(conn: sa.Connection, t: InsightTables, scope: Scope) -> dict:
    """How many decisions the reviews recorded in the range, and the share of each decision."""
    d = t.decisions
    query = (
        sa.select(d.c.decision, sa.func.count())
        .where(*filters(d, scope), d.c.day.between(scope.start, scope.end))
        .group_by(d.c.decision)
    )
    counts = dict.fromkeys(DECISIONS, 0) | dict(conn.execute(query).all())
    total = sum(counts.values())
    return {
        "decisions": total,
        "counts": counts,
        "rates": {decision: share(n, total) for decision, n in counts.items()},
    }


def _clients(t: InsightTables, scope: Scope) -> list:
    c = t.clients
    return [*filters(c, scope), c.c.status == "active", c.c.enrolled_day <= scope.end]


def momentum(conn: sa.Connection, t: InsightTables, scope: Scope) -> dict:
    """Active clients by their 30-day win trend and by their wins in the last 30 days."""
    c, w = t.clients, t.win_days
    recent = w.c.day >= scope.end - 29
    sums = (
        sa.select(
            w.c.client_id,
            sa.func.sum(sa.case((recent, w.c.wins), else_=0)).label("last"),
            sa.func.sum(sa.case((recent, 0), else_=w.c.wins)).label("previous"),
        )
        .where(
            w.c.organisation_id == scope.organisation_id, w.c.day.between(scope.end - 59, scope.end)
        )
        .group_by(w.c.client_id)
        .subquery()
    )
    last, previous = sa.func.coalesce(sums.c["last"], 0), sa.func.coalesce(sums.c.previous, 0)
    direction = sa.case((last > previous, "up"), (last < previous, "down"), else_="flat")
    bucket = sa.case((last == 0, "0"), (last <= 2, "1-2"), (last <= 5, "3-5"), else_="6+")
    query = (
        sa.select(direction.label("direction"), bucket.label("bucket"), sa.func.count())
        .select_from(c.outerjoin(sums, sums.c.client_id == c.c.client_id))
        .where(*_clients(t, scope))
        .group_by(direction, bucket)
    )
    trend, wins = dict.fromkeys(DIRECTIONS, 0), dict.fromkeys(WIN_BUCKETS, 0)
    for found_direction, found_bucket, n in conn.execute(query):
        trend[found_direction] += n
        wins[found_bucket] += n
    return {"clients": sum(trend.values()), "trend_30d": trend, "wins_last_30_days": wins}


def attention(conn: sa.Connection, t: InsightTables, scope: Scope) -> list[dict]:
    """Per coach: active clients, and how many of them need attention as of `end`."""
    c, g = t.clients, t.goals
    troubled = sa.and_(
        g.c.organisation_id == scope.organisation_id,
        g.c.status == "active",
        sa.or_(stalled(g, scope), g.c.due_day < scope.end),
    )
    clients = c
    if scope.coach_id is None:  # the organisation's goals grouped once, joined to its clients
        flags = sa.select(g.c.client_id).where(troubled).group_by(g.c.client_id).subquery()
        clients = c.outerjoin(flags, flags.c.client_id == c.c.client_id)
        has_troubled_goal = flags.c.client_id.is_not(None)
    else:  # a coach's few hundred clients: their goals looked up by key, client by client
        has_troubled_goal = sa.exists().where(g.c.client_id == c.c.client_id, troubled)
    needs = sa.or_(
        has_troubled_goal,
        c.c.falling_confidence,
        c.c.review_due_day <= scope.end,
        c.c.critical_findings > 0,
    )
    query = (
        sa.select(c.c.coach_id, sa.func.count(), sa.func.sum(sa.case((needs, 1), else_=0)))
        .select_from(clients)
        .where(*_clients(t, scope))
        .group_by(c.c.coach_id)
        .order_by(c.c.coach_id)
    )
    return [
        {"coach_id": coach_id, "clients": n, "needing_attention": int(needing)}
        for coach_id, n, needing in conn.execute(query)
    ]
