"""Goal figures of the cohort insight: goals set in the range, achieved and stalled as of its end.

One grouped statement per table reads a histogram: per group and per "days
to achieve" (NULL for a goal not achieved by `end`), how many goals and how
many of them stalled. The groups' counts and medians are summed up from it
here, over a few thousand histogram rows whatever the number of goals, so the
database neither sorts the goals nor needs a percentile aggregate (SQLite has
none). The overall figures merge the per-template histograms; the figures per
requirement kind read `insight_goal_kinds`, the goals' facts once per kind served.

- achieved: status achieved, closed on or before `end`; days = closed − set day.
- median: of the achieved goals' days, the mean of the middle one or two.
- stalled: active, started by `end`, (end − quiet-since day) − days paused ≥
  `stall_days`, as the caseload and momentum judge it (`domain.goal_formulas`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from projections.insight_tables import InsightTables
from services.insights.scope import Scope, filters, share


def stalled(goals: sa.Table, scope: Scope):
    """SQL: the goal is stalled as of `scope.end`."""
    return sa.and_(
        goals.c.status == "active",
        goals.c.start_day <= scope.end,
        (scope.end - goals.c.quiet_day) - goals.c.paused_days >= scope.stall_days,
    )


@dataclass
class Tally:
    """A group's goals, stalled goals, template name and histogram of days to achieve."""

    goals: int = 0
    stalled: int = 0
    name: str | None = None
    days: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.goals, self.stalled = self.goals + other.goals, self.stalled + other.stalled
        self.days.update(other.days)

    def figures(self) -> dict:
        achieved = sum(self.days.values())
        return {
            "goals": self.goals,
            "achieved": achieved,
            "achieved_share": share(achieved, self.goals),
            "median_days_to_achieve": median(self.days),
            "stalled": self.stalled,
            "stalled_share": share(self.stalled, self.goals),
        }


def median(days: Counter) -> float | None:
    """The median of a histogram {value: count}: the mean of the middle one or two values."""
    total = sum(days.values())
    if not total:
        return None
    wanted, found, seen = {(total - 1) // 2, total // 2}, [], 0
    for value in sorted(days):
        low, seen = seen, seen + days[value]
        found += [value] * sum(low <= position < seen for position in wanted)
    return round(sum(found) / len(found), 1)


def _tallies(conn: sa.Connection, table: sa.Table, keys: list, scope: Scope) -> dict[tuple, Tally]:
    achieved = sa.and_(table.c.status == "achieved", table.c.closed_day <= scope.end)
    days = sa.case((achieved, table.c.closed_day - table.c.set_day)).label("days")
    query = (
        sa.select(
            *keys,
            days,
            sa.func.count(),
            sa.func.sum(sa.case((stalled(table, scope), 1), else_=0)),
            sa.func.max(table.c.template_name),
        )
        .where(*filters(table, scope), table.c.set_day.between(scope.start, scope.end))
        .group_by(*keys, days)
    )
    tallies: dict[tuple, Tally] = {}
    for *key, day, goals, stalled_goals, name in conn.execute(query):
        tally = tallies.setdefault(tuple(key), Tally())
        tally.goals += goals
        tally.stalled += int(stalled_goals)
        tally.name = tally.name or name
        if day is not None:
            tally.days[day] += goals
    return tallies


def goal_figures(conn: sa.Connection, t: InsightTables, scope: Scope) -> dict:
    """`goals` (all), `by_template` and `by_requirement_kind`: each group's figures."""
    g, k = t.goals, t.goal_kinds
    by_template = _tallies(conn, g, [g.c.template_id, g.c.template_version], scope)
    overall = Tally()
    for tally in by_template.values():
        overall.add(tally)
    by_kind = _tallies(conn, k, [k.c.kind], scope)
    return {
        "goals": overall.figures(),
        "by_requirement_kind": [
            {"kind": kind, **by_kind[(kind,)].figures()} for (kind,) in sorted(by_kind)
        ],
        "by_template": [
            {
                "template_id": template_id,
                "template_version": version,
                "template_name": by_template[(template_id, version)].name,
                **by_template[(template_id, version)].figures(),
            }
            for template_id, version in sorted(by_template, key=_untemplated_first)
        ],
    }


def _untemplated_first(key: tuple) -> tuple:
    template_id, version = key
    return template_id is not None, template_id or "", version or 0
