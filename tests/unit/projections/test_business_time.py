"""The view as at an instant of business time: only facts that occurred by then, in stream order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from unit.projections.projection_story import START, Story

from domain import commands as c
from projections.business_time import recorded_late, view_as_on


def test_facts_after_the_instant_are_left_out_and_a_back_dated_one_is_kept():
    story = Story().enrol()
    goal = story.goal()
    story.advance(days=10)
    story.check_in(goal, 2.0)
    story.run(
        c.RecordCheckIn(
            goal_id=goal,
            check_in_id="back-dated",
            confidence=4,
            value=1.0,
            occurred_at=START + timedelta(days=3),
        )
    )
    until = START + timedelta(days=5)

    view = view_as_on("client-1", story.events, until)

    assert list(view["goals"][goal]["check_ins"]) == ["back-dated"]
    assert view["client"]["enrolled_at"] is not None
    assert (
        view_as_on("client-1", story.events, START - timedelta(days=1))["client"]["enrolled_at"]
        is None
    )


def test_the_latest_check_by_the_instant_is_kept_whatever_order_checks_were_recorded_in():
    story = Story().enrol()
    story.advance(days=2)
    (later,) = story.run(c.RecordAlignmentCheck(check_id="later"))
    story.advance(days=1)
    (earlier,) = story.run(
        c.RecordAlignmentCheck(check_id="earlier", occurred_at=START + timedelta(days=1))
    )

    view = view_as_on("client-1", story.events, START + timedelta(days=5))

    assert view["alignment"]["check_id"] == "later"
    assert (
        view_as_on("client-1", story.events, START + timedelta(days=1, hours=1))["alignment"][
            "check_id"
        ]
        == "earlier"
    )


def test_late_corrections_occurred_before_the_period_and_were_recorded_after_the_last_digest():
    story = Story().enrol()
    digest_made = story.now + timedelta(hours=1)
    events = [
        *story.events,
        replace(story.events[-1], recorded_at=digest_made + timedelta(seconds=1)),
    ]

    assert recorded_late(events, START + timedelta(days=1), digest_made) == events[-1:]
    assert recorded_late(events, START - timedelta(days=1), digest_made) == []
