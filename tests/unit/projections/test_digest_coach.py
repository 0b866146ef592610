"""A coach's caseload digest: who needs attention and why, wins totals and deadlines across clients."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from digest_story import TODAY, seed_story
from projection_story import START, Story

from domain import commands as c
from projections.caseload import rank
from projections.client_view import caseload_row
from services.digests import (
    client_digest,
    coach_digest,
    coach_to_html,
    coach_to_markdown,
    period_for,
)

DAY0 = START.date()


@pytest.fixture(scope="module")
def caseload():
    """Sam (the seed, with wins), Bea (a goal stalled since enrolment) and Cy (no goals), as of TODAY."""
    stalled = Story("c-bea").enrol(name="Bea")
    stalled.goal(statement="Write the migration plan", due_on=DAY0 + timedelta(days=100))
    stalled.now = START + timedelta(weeks=11, days=1)
    stalled.run(c.RecordAlignmentCheck(check_id="check-1"))
    views = [seed_story().view(), stalled.view(), Story("c-cy").enrol(name="Cy").view()]
    start, end, _ = period_for("weekly", TODAY)
    digests = [client_digest(view, TODAY, start, end) for view in views]
    return rank([caseload_row(view) for view in views], TODAY), digests, start, end


def test_coach_digest_summarises_attention_wins_deadlines_and_findings(caseload):
    entries, digests, start, end = caseload
    digest = coach_digest(entries, digests, TODAY, start, end, coach_id="coach-1")
    assert json.loads(json.dumps(digest)) == digest
    assert (digest["kind"], digest["coach_id"], digest["period"]["key"]) == (
        "coach",
        "coach-1",
        "2026-W12",
    )
    assert digest["clients"] == {"total": 3, "needing_attention": 1}
    assert [(a["display_name"], a["score"]) for a in digest["attention"]] == [("Bea", 3)]
    assert digest["attention"][0]["reasons"] == [
        "goal 'Write the migration plan' stalled: no win for 79 days"
    ]
    wins = digest["wins"]
    assert (wins["total"], wins["milestones"], wins["clients_without_wins"]) == (3, 3, 2)
    assert [(row["display_name"], row["total"]) for row in wins["by_client"]] == [
        ("Sam Example", 3),
        ("Bea", 0),
        ("Cy", 0),
    ]
    assert [(d["display_name"], d["kind"], d["due_on"]) for d in digest["deadlines"]] == [
        ("Bea", "review", "2026-04-05"),
        ("Cy", "review", "2026-04-05"),
        ("Sam Example", "goal", "2026-04-05"),
        ("Sam Example", "review", "2026-04-05"),
        ("Bea", "goal", "2026-04-15"),
    ]
    # stalled, pace at risk, four requirements no goal serves; no open milestone
    assert digest["findings"] == {"total": 7, "by_severity": {"warning": 6, "info": 1}}


def test_without_client_digests_the_unknown_parts_are_none_and_say_so(caseload):
    entries, _, start, end = caseload
    digest = coach_digest(entries, None, TODAY, start, end)
    assert digest["wins"] is digest["deadlines"] is digest["findings"] is None
    assert digest["clients"]["needing_attention"] == 1
    assert coach_to_markdown(digest).count("_Not available") == 3
    assert coach_to_html(digest).count("Not available") == 3


def test_coach_digest_renders_each_part(caseload):
    entries, digests, start, end = caseload
    digest = coach_digest(entries, digests, TODAY, start, end, coach_id="coach-1")
    markdown = coach_to_markdown(digest)
    assert markdown.startswith("# Caseload digest for coach coach-1, 2026-W12\n")
    assert "## Needing attention (1 of 3 clients)" in markdown
    assert (
        "- Bea (score 3): goal 'Write the migration plan' stalled: no win for 79 days" in markdown
    )
    assert "| Sam Example | 3 |" in markdown and "7 findings: warning 6, info 1" in markdown
    page = coach_to_html(digest)
    for section in ("attention", "wins", "deadlines", "findings"):
        assert f'<section id="{section}">' in page
    assert "<script" not in page
