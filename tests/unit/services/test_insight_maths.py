"""The insight's arithmetic: medians from histograms, tallies merged, and the cohort chart."""

from __future__ import annotations

import statistics
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from services.digests.chart import cohort_chart
from services.digests.words import cohort_summary
from services.insights.goals import Tally, median


@given(st.lists(st.integers(0, 800), max_size=60))
def test_the_median_of_a_histogram_is_the_median_of_its_values(values):
    expected = round(float(statistics.median(values)), 1) if values else None
    assert median(Counter(values)) == expected


def test_merged_tallies_count_every_goal_and_keep_every_day():
    one, two = (
        Tally(goals=3, stalled=1, days=Counter({10: 1})),
        Tally(goals=2, days=Counter({4: 2})),
    )
    one.add(two)
    assert one.figures() == {
        "goals": 5,
        "achieved": 3,
        "achieved_share": 0.6,
        "median_days_to_achieve": 4.0,
        "stalled": 1,
        "stalled_share": 0.2,
    }
    assert Tally().figures()["achieved_share"] is None


def test_the_cohort_chart_has_a_bar_per_kind_and_share_and_escapes_its_text():
    kinds = [
        {"kind": "skill", "goals": 4, "achieved_share": 0.5, "stalled_share": 0.25},
        {"kind": "<b>", "goals": 1, "achieved_share": None, "stalled_share": None},
    ]
    svg = cohort_chart(kinds)
    assert svg.startswith('<svg id="cohort-chart"') and svg.endswith("</svg>")
    assert svg.count('class="achieved"') == 2 and svg.count('class="stalled"') == 2
    assert 'data-kind="skill" data-share="0.5"' in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_the_cohort_summary_reads_as_a_sentence():
    cohort = {
        "goals": {
            "goals": 4,
            "achieved_share": 0.25,
            "median_days_to_achieve": 40.0,
            "stalled_share": 0.5,
        },
        "reviews": {"decisions": 2, "rates": {"keep": 0.5, "tweak": 0.5, "replace": None}},
        "momentum": {"clients": 3, "trend_30d": {"up": 1, "flat": 1, "down": 1}},
    }
    assert cohort_summary(cohort) == (
        "4 goals set: 25% achieved (median 40 days), 50% stalled; 2 review decisions: "
        "50% keep, 50% tweak; 30-day momentum of 3 clients: 1 up, 1 flat, 1 down"
    )
