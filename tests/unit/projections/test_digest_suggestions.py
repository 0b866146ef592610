"""Suggested keep / tweak / replace per open goal: the rule table, then goals the real domain built."""

from __future__ import annotations

from datetime import timedelta

import pytest
from projection_story import START, Story

from services.digests import client_digest
from services.digests.goals import suggest

DAY0 = START.date()


@pytest.mark.parametrize(
    ("pace", "reached", "quiet", "delta", "flags", "expected"),
    [
        ("on track", False, None, None, [], ("keep", ["on track"])),
        ("on track", True, None, None, [], ("keep", ["target reached: mark it achieved"])),
        ("not started", False, None, None, [], ("keep", ["not started yet"])),
        ("paused", False, None, None, [("keep", "review due")], ("keep", ["paused"])),
        ("on track", False, None, None, [("add goal", "uncovered")], ("keep", ["on track"])),
        ("behind", False, None, None, [], ("tweak", ["pace: behind"])),
        ("on track", False, 25.0, None, [], ("tweak", ["stalled: no win for 25 days"])),
        ("on track", False, None, -1.5, [], ("tweak", ["confidence falling (-1.5)"])),
        ("on track", False, None, -0.5, [], ("keep", ["on track"])),
        (
            "on track",
            False,
            None,
            None,
            [("tweak", "no open milestone")],
            ("tweak", ["re-alignment: no open milestone"]),
        ),
        (
            "at risk",
            False,
            41.0,
            None,
            [],
            ("tweak", ["pace: at risk", "stalled: no win for 41 days"]),
        ),
        ("at risk", False, 42.0, None, [], ("replace", ["at risk, and no win for 42 days"])),
        (
            "on track",
            True,
            None,
            None,
            [("replace", "serves no requirement")],
            ("replace", ["re-alignment: serves no requirement"]),
        ),
    ],
)
def test_suggestion_rules(pace, reached, quiet, delta, flags, expected):
    assert suggest(pace, reached, quiet, delta, flags, stall_days=21) == expected


def test_suggestions_for_goals_built_by_the_domain():
    s = Story().enrol()
    on_track = s.goal(statement="On track")
    stalled = s.goal(statement="Long stalled", due_on=DAY0 + timedelta(days=50))
    flagged = s.goal(statement="Flagged")
    behind = s.goal(statement="Behind")
    s.now = START + timedelta(days=55)
    for goal_id, value in ((on_track, 7), (flagged, 6), (behind, 4)):
        s.check_in(goal_id, value)
    view = s.view()
    view["alignment"] = {
        "checked_at": s.now.isoformat(),
        "findings": [
            {
                "rule": "goal_serves_no_requirement",
                "severity": "critical",
                "suggested_action": "replace",
                "goal_id": flagged,
                "summary": "serves no requirement",
            }
        ],
    }

    today = DAY0 + timedelta(days=60)
    result = {
        item["goal_id"]: item for item in client_digest(view, today, today, today)["suggestions"]
    }

    assert [
        (result[g]["pace"], result[g]["suggestion"]) for g in (on_track, stalled, flagged, behind)
    ] == [
        ("on track", "keep"),
        ("at risk", "replace"),
        ("on track", "replace"),
        ("behind", "tweak"),
    ]
    assert result[stalled]["reasons"] == ["at risk, and no win for 60 days"]
    assert result[flagged]["reasons"] == ["re-alignment: serves no requirement"]
    assert result[behind]["progress"] == 0.4
