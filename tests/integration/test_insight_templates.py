"""Template provenance in the insight: `TemplateApplied` facts (raw, by type name) to figures per template.

The event class lives on another branch; its data is what the projection
reads: template_id, template_version, template_name, requirement_ids, goal_ids.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import sqlalchemy as sa

from eventstore import StoredEvent
from projections.insight_tables import LIVE_INSIGHTS
from projections.insights import InsightsProjection
from services.insights import insight_over

AT = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def raw(client: str, version: int, type_: str, **data) -> StoredEvent:
    return StoredEvent(
        position=version,
        tx_id=version,
        stream_id=f"client-{client}",
        stream_version=version,
        event_id=uuid.uuid4(),
        type=type_,
        schema_version=1,
        data={"occurred_at": AT.isoformat(), **data},
        metadata={},
        recorded_at=AT,
    )


def history(client: str, coach: str, template: tuple[str, int] | None) -> list[StoredEvent]:
    """Enrolled, one requirement, two goals (the first achieved); the template placed the first."""
    terms = {
        "statement": "Lead a project",
        "category": "experience",
        "measure": {"name": "done", "baseline": None, "target": None, "unit": None},
        "confidence": 6,
        "serves": [{"requirement_id": f"{client}-r", "how_it_leads": "x"}],
        "follows": [],
        "start_on": "2026-10-01",
        "due_on": "2027-06-30",
    }
    events = [
        (
            "ClientEnrolled",
            {
                "organisation_id": "org-t",
                "coach_id": coach,
                "display_name": "A",
                "timezone": "UTC",
                "review_cadence_months": 3,
            },
        ),
        (
            "RequirementAdded",
            {"requirement_id": f"{client}-r", "kind": "skill", "description": "d"},
        ),
        ("GoalSet", {"goal_id": f"{client}-g1", "terms": terms}),
        ("GoalSet", {"goal_id": f"{client}-g2", "terms": terms}),
    ]
    if template:
        events.append(
            (
                "TemplateApplied",
                {
                    "template_id": template[0],
                    "template_version": template[1],
                    "template_name": f"Template {template[0]}",
                    "requirement_ids": [f"{client}-r"],
                    "goal_ids": [f"{client}-g1"],
                },
            )
        )
    events.append(
        ("GoalAchieved", {"goal_id": f"{client}-g1", "occurred_at": "2026-10-11T09:00:00+00:00"})
    )
    return [raw(client, n + 1, type_, **data) for n, (type_, data) in enumerate(events)]


def test_goals_a_template_placed_are_counted_under_it_and_filtered_by_it(engine):
    with engine.begin() as conn:
        for n, template in enumerate([("tpl-a", 1), ("tpl-a", 1), ("tpl-b", 2), None]):
            InsightsProjection().apply(conn, history(f"c{n}", f"coach-{n % 2}", template))
        placed = conn.execute(
            sa.select(sa.func.count()).where(LIVE_INSIGHTS.goals.c.template_id.is_not(None))
        ).scalar_one()
    assert placed == 3
    window = (date(2026, 9, 1), date(2026, 11, 30))

    insight = insight_over(engine, "org-t", *window)
    rows = {(t["template_id"], t["template_version"]): t for t in insight["by_template"]}
    assert list(rows) == [(None, None), ("tpl-a", 1), ("tpl-b", 2)]
    assert (rows[("tpl-a", 1)]["goals"], rows[("tpl-a", 1)]["achieved"]) == (2, 2)
    assert rows[("tpl-a", 1)]["template_name"] == "Template tpl-a"
    assert rows[("tpl-a", 1)]["median_days_to_achieve"] == 10.0
    assert (rows[(None, None)]["goals"], rows[(None, None)]["achieved"]) == (5, 1)
    assert insight["goals"]["goals"] == 8

    only_a = insight_over(engine, "org-t", *window, template_id="tpl-a")
    assert only_a["goals"]["goals"] == 2 and only_a["goals"]["achieved_share"] == 1.0
    assert only_a["momentum"]["clients"] == 2  # the clients the template was applied to
    assert sum(row["clients"] for row in only_a["attention"]) == 2
