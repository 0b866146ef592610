"""Cohort insight latency: GET /v1/insights' work over 10,000 clients' fact rows, on real PostgreSQL.

Loads the insight tables of CLIENTS clients directly (COPY: 30 coaches, 24
monthly cohorts, 5 goals each serving 1–3 requirement kinds, a third from one
of 6 templates, 4 review decisions and about 25 days with wins per client),
then times, ROUNDS times each and taking turns, the insight as the API computes
it (`services.insights.Insights.report`, the projection's refresh included) and
the baseline: one plain SQL aggregate over the same rows (goals and achieved
per requirement kind).
The client states are left empty: no figure reads them.
Run: `python -m bench.insights` (reads DATABASE_URL); prints `ratio insights=<x> p99_ms=<y>`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import date, timedelta

import sqlalchemy as sa

from bench.scratch import libpq_url, scratch_database
from eventstore import EventStore
from eventstore.engine import make_engine
from projections.insight_tables import LIVE_INSIGHTS as T
from projections.insights import InsightsProjection
from projections.runner import ProjectionRunner
from services.insights import Insights
from services.plans.event_mapping import domain_codec

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
ORG, TODAY = "org-bench", date(2026, 11, 27)
KINDS = ("skill", "experience", "achievement", "relationship", "credential")
DECISIONS = ("keep", "keep", "tweak", "replace", "dropped", "achieved")


def fact_rows(rng: random.Random) -> dict[str, list[tuple]]:
    """Every table's rows, as tuples in the tables' column order."""
    rows: dict[str, list[tuple]] = {t.name: [] for t in T.all}
    day0 = TODAY.toordinal()
    for n in range(CLIENTS):
        client, coach = f"c-{n:05d}", f"coach-{n % 30}"
        enrolled = day0 - rng.randint(20, 730)
        cohort = date.fromordinal(enrolled).isoformat()[:7]
        template = f"tpl-{n % 6}" if n % 3 == 0 else None
        rows["insight_clients"].append(
            (
                client,
                ORG,
                coach,
                "active" if n % 20 else "archived",
                cohort,
                enrolled,
                template,
                n % 7 == 0,
                enrolled + 91 if n % 4 else None,
                int(n % 50 == 0),
                "{}",
            )
        )
        for g in range(5):
            goal, set_day = f"{client}-g{g}", rng.randint(enrolled, day0)
            status = rng.choice(("active", "active", "achieved", "paused", "dropped"))
            closed = rng.randint(set_day, day0) if status in ("achieved", "dropped") else None
            quiet = rng.randint(set_day, day0)
            goal_row = (
                client,
                goal,
                ORG,
                coach,
                cohort,
                template if g < 3 else None,
                1 if template and g < 3 else None,
                f"Template {template}" if template and g < 3 else None,
                status,
                set_day,
                set_day,
                set_day + rng.randint(30, 700),
                closed,
                quiet,
                float(rng.choice((0, 0, 0, 3.5))),
            )
            rows["insight_goals"].append(goal_row)
            for kind in rng.sample(KINDS, rng.randint(1, 3)):
                rows["insight_goal_kinds"].append((*goal_row[:2], kind, *goal_row[2:]))
        for r in range(4):
            day = rng.randint(enrolled, day0)
            rows["insight_decisions"].append(
                (
                    client,
                    f"{client}-r{r}",
                    f"{client}-g{r}",
                    ORG,
                    coach,
                    cohort,
                    template,
                    rng.choice(DECISIONS),
                    day,
                )
            )
        for day in sorted(set(rng.randint(max(enrolled, day0 - 120), day0) for _ in range(25))):
            rows["insight_win_days"].append((client, day, ORG, rng.randint(1, 3)))
    return rows


def load(url: str) -> int:
    """COPY the rows into the scratch database; the number of rows."""
    import psycopg

    rows = fact_rows(random.Random(20))
    with psycopg.connect(libpq_url(url)) as conn, conn.cursor() as cursor:
        for table in T.all:
            columns = ", ".join(c.name for c in table.c)
            with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in rows[table.name]:
                    copy.write_row(row)
        cursor.execute("ANALYZE")
    return sum(len(r) for r in rows.values())


def timed(calls, rounds: int) -> list[list[float]]:
    """Milliseconds of each call in each of `rounds` rounds (after 5 to warm up); the calls take
    turns within a round, so a machine that slows down slows them alike."""
    for _ in range(5):
        for call in calls:
            call()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(rounds):
        for call, spent in zip(calls, times):
            started = time.perf_counter()
            call()
            spent.append((time.perf_counter() - started) * 1000)
    return times


def p99(times: list[float]) -> float:
    return sorted(times)[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    with scratch_database("bench_insights") as url:
        count = load(url)
        engine = make_engine(url)
        runner = ProjectionRunner(
            engine, EventStore(engine, domain_codec()), [InsightsProjection()]
        )
        insights = Insights(engine, runner)
        answer = insights.report(ORG, TODAY - timedelta(days=365), TODAY)

        def insight():
            insights.report(ORG, TODAY - timedelta(days=365), TODAY)

        k = T.goal_kinds
        plain = (
            sa.select(
                k.c.kind,
                sa.func.count(),
                sa.func.sum(sa.case((k.c.status == "achieved", 1), else_=0)),
            )
            .where(
                k.c.organisation_id == ORG, k.c.set_day >= (TODAY - timedelta(days=365)).toordinal()
            )
            .group_by(k.c.kind)
        )

        def baseline():
            with engine.connect() as conn:
                conn.execute(plain).all()

        ours, theirs = timed([insight, baseline], ROUNDS)
        engine.dispose()
    print(f"{count} fact rows of {CLIENTS} clients; {answer['goals']['goals']} goals in the year")
    print(json.dumps({k: answer[k] for k in ("goals", "momentum")}, default=str))
    print(
        f"insights p50={statistics.median(ours):.1f} ms p99={p99(ours):.1f} ms; "
        f"plain aggregate p50={statistics.median(theirs):.1f} ms p99={p99(theirs):.1f} ms"
    )
    print(
        f"ratio insights={statistics.median(ours) / statistics.median(theirs):.2f} p99_ms={p99(ours):.1f}"
    )


if __name__ == "__main__":
    main()
