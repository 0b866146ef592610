"""The organisation's digest: totals over every client digest, attention per coach, folded in batches."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from digest_story import TODAY, seed_story
from projection_story import START, Story

from domain import commands as c
from services.digests import (
    client_digest,
    coach_digest,
    organisation_digest,
    organisation_to_html,
    organisation_to_markdown,
    period_for,
)
from services.digests.coach import period_attention

DAY0 = START.date()
COHORT = {
    "from": "2026-03-16",
    "to": "2026-03-22",
    "goals": {
        "goals": 4,
        "achieved": 1,
        "achieved_share": 0.25,
        "median_days_to_achieve": 40.0,
        "stalled": 2,
        "stalled_share": 0.5,
    },
    "by_requirement_kind": [
        {
            "kind": "skill",
            "goals": 4,
            "achieved": 1,
            "achieved_share": 0.25,
            "median_days_to_achieve": 40.0,
            "stalled": 2,
            "stalled_share": 0.5,
        }
    ],
    "reviews": {"decisions": 0, "counts": {}, "rates": {"keep": None}},
    "momentum": {"clients": 4, "trend_30d": {"up": 1, "flat": 3, "down": 0}},
}


def _stalled(client_id: str, name: str, coach_id: str) -> Story:
    story = Story(client_id).enrol(name=name, coach_id=coach_id)
    story.goal(statement=f"{name}'s migration plan", due_on=DAY0 + timedelta(days=100))
    story.now = START + timedelta(weeks=11, days=1)
    story.run(c.RecordAlignmentCheck(check_id="check-1"))
    return story


@pytest.fixture(scope="module")
def period_digests():
    """Sam (coach-1, wins), Bea (coach-2, stalled), Cy (coach-2, no goals), Dee (coach-3, stalled)."""
    views = [
        seed_story().view(),
        _stalled("c-bea", "Bea", "coach-2").view(),
        Story("c-cy").enrol(name="Cy", coach_id="coach-2").view(),
        _stalled("c-dee", "Dee", "coach-3").view(),
    ]
    start, end, _ = period_for("weekly", TODAY)
    return [client_digest(view, TODAY, start, end) for view in views], start, end


def test_the_totals_are_the_sums_over_every_client_digest_whatever_the_batches(period_digests):
    digests, start, end = period_digests
    batches = [digests[:1], digests[1:3], [], digests[3:]]
    digest = organisation_digest(iter(batches), TODAY, start, end, "org-1", cohort=COHORT)
    assert json.loads(json.dumps(digest)) == digest
    assert (digest["kind"], digest["organisation_id"], digest["period"]["key"]) == (
        "organisation",
        "org-1",
        "2026-W12",
    )
    whole = coach_digest(period_attention(digests), digests, TODAY, start, end)
    assert digest["wins"]["total"] == sum(d["wins"]["total"] for d in digests) > 0
    assert digest["wins"] == {k: v for k, v in whole["wins"].items() if k != "by_client"}
    assert digest["findings"]["total"] == sum(d["findings"]["total"] for d in digests) > 0
    assert digest["findings"] == whole["findings"]
    assert len(digest["deadlines"]) == sum(len(d["deadlines"]) for d in digests)
    assert digest["deadlines"] == whole["deadlines"]  # soonest first, across batches
    assert digest["attention"] == whole["attention"]
    assert digest["clients"] == {"total": 4, "needing_attention": 2}
    assert [a["display_name"] for a in digest["attention"]] == ["Bea", "Dee"]
    assert digest["cohort"] == COHORT
    assert organisation_digest([digests], TODAY, start, end, "org-1", cohort=COHORT) == digest


def test_each_coach_counts_their_clients_and_those_needing_attention(period_digests):
    digests, start, end = period_digests
    digest = organisation_digest([digests], TODAY, start, end, "org-1")
    assert digest["coaches"] == [
        {"coach_id": "coach-2", "clients": 2, "needing_attention": 1},
        {"coach_id": "coach-3", "clients": 1, "needing_attention": 1},
        {"coach_id": "coach-1", "clients": 1, "needing_attention": 0},
    ]
    assert sum(row["needing_attention"] for row in digest["coaches"]) == len(digest["attention"])


def test_no_client_digests_make_an_empty_summary(period_digests):
    _, start, end = period_digests
    digest = organisation_digest([], TODAY, start, end, "org-1")
    assert digest["clients"] == {"total": 0, "needing_attention": 0}
    assert digest["coaches"] == digest["attention"] == digest["deadlines"] == []
    assert digest["wins"]["total"] == digest["findings"]["total"] == 0


def test_the_organisation_digest_renders_the_coaches_and_the_cohort_chart(period_digests):
    digests, start, end = period_digests
    digest = organisation_digest([digests], TODAY, start, end, "org-1", cohort=COHORT)
    markdown = organisation_to_markdown(digest)
    assert markdown.startswith("# Organisation digest for org-1, 2026-W12\n")
    assert "## Needing attention (2 of 4 clients)" in markdown
    assert "| coach-2 | 2 | 1 |" in markdown
    assert "## Cohort: goals set 2026-03-16 to 2026-03-22" in markdown
    page = organisation_to_html(digest)
    for section in ("attention", "coaches", "wins", "deadlines", "findings", "cohort"):
        assert f'<section id="{section}">' in page
    assert '<svg id="cohort-chart"' in page and "<script" not in page
    assert "Organisation digest for org-1" in page


def test_a_large_organisation_lists_the_first_entries_and_counts_the_rest(period_digests):
    digests, start, end = period_digests
    whole = organisation_digest([digests], TODAY, start, end, "org-1")
    batches = [digests[:2], digests[2:]]
    digest = organisation_digest(iter(batches), TODAY, start, end, "org-1", listed=1)

    assert digest["attention"] == whole["attention"][:1]
    assert digest["clients"] == whole["clients"] == {"total": 4, "needing_attention": 2}
    assert digest["deadlines"] == whole["deadlines"][:1]
    assert digest["deadlines_total"] == len(whole["deadlines"]) > 1
    markdown = organisation_to_markdown(digest)
    assert "- … and 1 more" in markdown
    assert f"- … and {len(whole['deadlines']) - 1} more" in markdown
    assert "… and 1 more" in organisation_to_html(digest)
    assert "more" not in organisation_to_markdown(whole)
