"""The cohort insight's figures: SQL aggregates over the insight fact rows, as of the range's end.

Each figure is one statement grouped in the database, so a request costs a
handful of index range scans whatever the number of clients. The judgements
are the views' own, made as of `end` (day numbers, `projections.insight_tables`):

- goals: those set within [start, end]; achieved = achieved by `end`; days
  to achieve = achieved day − set day (median: the mean of the middle one or two).
- stalled: active, started by `end`, and (end − quiet-since day) − days paused
  ≥ `stall_days`, as the caseload and momentum judge it (`domain.goal_formulas`).
- review outcomes: the decisions recorded within [start, end].
- momentum: each active client's wins in the 30 days ending `end` against the
  30 days before (`projections.momentum.trend`'s direction), and a bucket of the first.
- needing attention: an active client with a stalled or overdue open goal,
  falling confidence, a review due by `end` or a critical finding (the caseload's score > 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from projections.insight_tables import InsightTables

WIN_BUCKETS = ("0", "1-2", "3-5", "6+")
DIRECTIONS = ("up", "flat", "down")
DECISIONS = ("keep", "tweak", "replace", "achieved", "dropped")


@dataclass(frozen=True)
class Scope:
    """What an insight covers: an organisation, a range of days (day numbers) and the filters."""

    organisation_id: str
    start: int
    end: int
    stall_days: int = 21
    coach_id: str | None = None
    template_id: str | None = None
    cohort: str | None = None


def _filters(table: sa.Table, scope: Scope) -> list:
    found = [table.c.organisation_id == scope.organisation_id]
    for name in ("coach_id", "template_id", "cohort"):
        if (value := getattr(scope, name)) is not None:
            found.append(table.c[name] == value)
    return found


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _stalled(goals: sa.Table, scope: Scope):
    return sa.and_(
        goals.c.status == "active",
        goals.c.start_day <= scope.end,
        (scope.end - goals.c.quiet_day) - goals.c.paused_days >= scope.stall_days,
    )


def goal_groups(conn: sa.Connection, t: InsightTables, scope: Scope, by: str | None) -> list[dict]:
    """Goals set in the range, per requirement kind (`by="kind"`), per template (`"template"`) or in all."""
    g = t.goals
    achieved = sa.and_(g.c.status == "achieved", g.c.closed_day <= scope.end)
    keys, source = [], g
    if by == "kind":
        k = t.goal_kinds
        source = g.join(k, sa.and_(k.c.client_id == g.c.client_id, k.c.goal_id == g.c.goal_id))
        keys = [k.c.kind]
    elif by == "template":
        keys = [g.c.template_id, g.c.template_version]
    where = [*_filters(g, scope), g.c.set_day.between(scope.start, scope.end)]
    counted = (
        sa.select(
            *keys,
            sa.func.count().label("goals"),
            sa.func.sum(sa.case((achieved, 1), else_=0)).label("achieved"),
            sa.func.sum(sa.case((_stalled(g, scope), 1), else_=0)).label("stalled"),
            sa.func.max(g.c.template_name).label("template_name"),
        )
        .select_from(source)
        .where(*where)
        .group_by(*keys)
    )
    days = (g.c.closed_day - g.c.set_day).label("days")
    ranked = (
        sa.select(
            *keys,
            days,
            sa.func.row_number().over(partition_by=keys or None, order_by=days).label("n"),
            sa.func.count().over(partition_by=keys or None).label("of"),
        )
        .select_from(source)
        .where(*where, achieved)
        .subquery()
    )
    middle = sa.select(
        *(ranked.c[key.name] for key in keys), sa.func.avg(ranked.c.days).label("median")
    ).where(ranked.c.n.in_([(ranked.c["of"] + 1) // 2, (ranked.c["of"] + 2) // 2]))
    medians = {
        tuple(row[:-1]): row[-1]
        for row in conn.execute(middle.group_by(*(ranked.c[key.name] for key in keys)))
    }
    groups = []
    for row in conn.execute(counted).mappings():
        key = tuple(row[c.name] for c in keys)
        if not row["goals"]:
            continue
        median = medians.get(key)
        groups.append(
            {
                **{c.name: row[c.name] for c in keys},
                **({"template_name": row["template_name"]} if by == "template" else {}),
                "goals": row["goals"],
                "achieved": int(row["achieved"]),
                "achieved_share": _share(int(row["achieved"]), row["goals"]),
                "median_days_to_achieve": None if median is None else round(float(median), 1),
                "stalled": int(row["stalled"]),
                "stalled_share": _share(int(row["stalled"]), row["goals"]),
            }
        )
    return groups


def empty_group() -> dict:
    """The figures of a group without goals."""
    return {
        "goals": 0,
        "achieved": 0,
        "achieved_share": None,
        "median_days_to_achieve": None,
        "stalled": 0,
        "stalled_share": None,
    }


def review_outcomes(conn: sa.Connection, t: InsightTables, scope: Scope) -> dict:
    """How many decisions the reviews recorded in the range, and the share of each decision."""
    d = t.decisions
    query = (
        sa.select(d.c.decision, sa.func.count())
        .where(*_filters(d, scope), d.c.day.between(scope.start, scope.end))
        .group_by(d.c.decision)
    )
    counts = dict.fromkeys(DECISIONS, 0) | dict(conn.execute(query).all())
    total = sum(counts.values())
    return {
        "decisions": total,
        "counts": counts,
        "rates": {decision: _share(n, total) for decision, n in counts.items()},
    }


def _clients(t: InsightTables, scope: Scope) -> list:
    c = t.clients
    return [*_filters(c, scope), c.c.status == "active", c.c.enrolled_day <= scope.end]


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
    troubled = sa.or_(_stalled(g, scope), sa.and_(g.c.status == "active", g.c.due_day < scope.end))
    flags = (
        sa.select(g.c.client_id)
        .where(g.c.organisation_id == scope.organisation_id, g.c.status == "active", troubled)
        .group_by(g.c.client_id)
        .subquery()
    )
    needs = sa.or_(
        flags.c.client_id.is_not(None),
        c.c.falling_confidence,
        c.c.review_due_day <= scope.end,
        c.c.critical_findings > 0,
    )
    query = (
        sa.select(c.c.coach_id, sa.func.count(), sa.func.sum(sa.case((needs, 1), else_=0)))
        .select_from(c.outerjoin(flags, flags.c.client_id == c.c.client_id))
        .where(*_clients(t, scope))
        .group_by(c.c.coach_id)
        .order_by(c.c.coach_id)
    )
    return [
        {"coach_id": coach_id, "clients": n, "needing_attention": int(needing)}
        for coach_id, n, needing in conn.execute(query)
    ]
