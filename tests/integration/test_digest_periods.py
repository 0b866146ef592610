"""Digests true to their period: only what occurred by the period's end, provisional runs, late corrections."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from plan_histories import Clock, context, enrol_seed_client
from stub_workers import stub_workers

from careerplan.seed_example import seed_id
from domain import commands as c
from services.digests import runs as digest_runs
from services.digests.tables import digest_runs as runs_table
from services.digests.tables import digests
from services.policies import set_policy

MONDAY_W48 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def stub(engine):
    clock = Clock(MONDAY_W48)
    with stub_workers(engine, clock) as (services, broker, actors, drain):
        yield services, clock, actors, drain


def step(services, clock, client: str, title: str) -> None:
    """A 30-minute milestone added and completed now: one win."""
    goal, milestone = seed_id(client, "goal", "system-design"), seed_id(client, "m", title)
    services.plans.execute(
        client,
        c.AddMilestone(goal_id=goal, milestone_id=milestone, title=title, estimate_minutes=30),
        context(),
    )
    services.plans.execute(
        client, c.CompleteMilestone(goal_id=goal, milestone_id=milestone), context()
    )


def stored(services, subject: str, period_key: str) -> dict | None:
    with services.engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(digests).where(
                    digests.c.subject == subject, digests.c.period_key == period_key
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row else None


def run(services, drain, now: datetime, **options) -> str:
    services.projections.catch_up()
    run_id = digest_runs.start_run(services.engine, "org-a", "weekly", now, **options)
    drain()
    return run_id


def test_a_week_digest_made_days_later_shows_nothing_that_happened_after_the_week(stub):
    services, clock, actors, drain = stub
    client = enrol_seed_client(services.plans, clock)
    clock.now += timedelta(days=1)
    step(services, clock, client, "in the week")
    clock.now = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)  # Wednesday of W49
    step(services, clock, client, "after the week")
    goal = seed_id(client, "goal", "system-design")
    services.plans.execute(
        client,
        c.RecordCheckIn(
            goal_id=goal, check_in_id=seed_id(client, "c", "1"), confidence=1, value=0.0
        ),
        context(),
    )
    actors.check_alignment.send(organisation_id="org-a", client_id=client, slot="2026-12-02")
    late = enrol_seed_client(services.plans, clock)  # enrolled after the week
    clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)

    run_id = run(services, drain, clock.now)

    content = stored(services, f"client:{client}", "2026-W48")["content"]
    assert content["period"]["key"] == "2026-W48" and content["as_of"] == "2026-11-29"
    labels = [item["label"] for item in content["wins"]["items"]]
    assert "in the week" in labels and "after the week" not in labels
    assert all(item["at"] < "2026-11-30" for item in content["wins"]["items"])
    assert content["momentum"]["weeks"][-1]["week"] == "2026-W48"  # no bar for W49
    assert content["findings"] == {"checked_at": None, "total": 0, "counts": {}, "items": []}
    reasons = [reason for s in content["suggestions"] for reason in s["reasons"]]
    assert not [r for r in reasons if "confidence" in r or "re-alignment" in r]
    assert content["provisional"] is False and content["late_corrections"] == []
    assert stored(services, f"client:{late}", "2026-W48") is None  # no digest before enrolment
    coach = stored(services, "coach:coach-1", "2026-W48")["content"]
    assert coach["clients"]["total"] == 1 and coach["as_of"] == "2026-11-29"
    with services.engine.connect() as conn:
        assert digest_runs.run_status(conn, run_id).pending == 0


def test_a_run_before_the_period_ends_is_refused_and_writes_nothing(stub):
    services, clock, actors, drain = stub
    enrol_seed_client(services.plans, clock)
    with pytest.raises(digest_runs.PeriodNotEnded, match="from 2026-11-30"):
        run(services, drain, clock.now, today=date(2026, 11, 30))
    set_policy(
        services.engine, "org-a", {}, ["weekly"], "Pacific/Kiritimati"
    )  # UTC+14: W48 ends 10:00 UTC
    with pytest.raises(digest_runs.PeriodNotEnded, match=r"from 2026-11-30 \(Pacific/Kiritimati\)"):
        run(
            services,
            drain,
            datetime(2026, 11, 29, 9, 59, tzinfo=timezone.utc),
            today=date(2026, 11, 30),
        )
    with services.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(runs_table)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(digests)).scalar_one() == 0
    run(services, drain, datetime(2026, 11, 29, 10, 1, tzinfo=timezone.utc))  # Monday in Kiritimati
    with services.engine.connect() as conn:
        assert conn.execute(sa.select(runs_table.c.period_key, runs_table.c.provisional)).all() == [
            ("2026-W48", False)
        ]


def test_a_provisional_digest_is_marked_everywhere_and_replaced_by_the_final_one(stub):
    services, clock, actors, drain = stub
    client = enrol_seed_client(services.plans, clock)
    clock.now += timedelta(days=2)
    step(services, clock, client, "early in the week")

    run(services, drain, clock.now, today=date(2026, 11, 30), provisional=True)
    early = stored(services, f"client:{client}", "2026-W48")
    assert early["provisional"] and early["content"]["provisional"] is True
    assert "> **Provisional: made before the period ended on 2026-11-29" in early["markdown"]
    assert 'id="provisional"' in early["html"] and "Provisional: made before" in early["html"]
    assert stored(services, "coach:coach-1", "2026-W48")["content"]["provisional"] is True

    clock.now = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
    step(services, clock, client, "late in the week")
    clock.now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    run(services, drain, clock.now)

    final = stored(services, f"client:{client}", "2026-W48")
    assert not final["provisional"] and final["content"]["provisional"] is False
    assert (
        final["digest_id"] != early["digest_id"]
        and "Provisional" not in final["markdown"] + final["html"]
    )
    assert {"early in the week", "late in the week"} <= {
        i["label"] for i in final["content"]["wins"]["items"]
    }
    assert "late in the week" not in {i["label"] for i in early["content"]["wins"]["items"]}
    assert stored(services, "coach:coach-1", "2026-W48")["content"]["provisional"] is False
    organisation = stored(services, "organisation:org-a", "2026-W48")
    assert not organisation["provisional"] and organisation["content"]["provisional"] is False
    run(
        services, drain, clock.now, today=date(2026, 11, 30), provisional=True
    )  # the period has ended: final
    assert stored(services, f"client:{client}", "2026-W48")["digest_id"] == final["digest_id"]
    with services.engine.connect() as conn:
        # the client's, the coach's and the organisation's
        assert conn.execute(sa.select(sa.func.count()).select_from(digests)).scalar_one() == 3


def test_a_fact_back_dated_into_a_digested_week_is_a_late_correction_in_the_next_weeks_digest(stub):
    services, clock, actors, drain = stub
    client = enrol_seed_client(services.plans, clock)
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    before = run(services, drain, clock.now)
    digest_w48 = stored(services, f"client:{client}", "2026-W48")

    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
    goal = seed_id(client, "goal", "system-design")
    services.plans.execute(
        client,
        c.RecordCheckIn(
            goal_id=goal,
            check_in_id=seed_id(client, "c", "late"),
            confidence=6,
            value=2.0,
            occurred_at=datetime(2026, 11, 26, 18, 0, tzinfo=timezone.utc),
        ),
        context(),
    )
    assert run(services, drain, clock.now) == before  # the W48 run again: nothing rewritten
    assert stored(services, f"client:{client}", "2026-W48") == digest_w48

    clock.now = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    run(services, drain, clock.now)

    digest_w49 = stored(services, f"client:{client}", "2026-W49")
    (correction,) = digest_w49["content"]["late_corrections"]
    assert correction["type"] == "CheckInRecorded" and correction["occurred_at"].startswith(
        "2026-11-26T18:00"
    )
    assert correction["goal"] and correction["goal"] in digest_w49["markdown"]
    assert (
        "CheckInRecorded" in digest_w49["markdown"]
        and 'id="late-corrections"' in digest_w49["html"]
    )
    assert "CheckInRecorded" in digest_w49["html"]
    assert digest_w48["content"]["late_corrections"] == []
