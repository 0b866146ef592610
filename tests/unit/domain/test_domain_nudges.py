"""Nudges: a quiet client is due one reminder about a goal's next step, never too often, never when paused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_harness import Harness

from domain import commands as c
from domain.errors import ClientIsArchived, InvalidNudgePolicy
from domain.goal import ACTIVE
from domain.nudges import NudgePolicy

ON = {"enabled": True, "quiet_days": 7, "min_days_between": 7}


def client_with_goal(milestones: int = 2) -> tuple[Harness, str]:
    h = Harness()
    h.enrol()
    h.set_destination()
    h.add_requirements(5)
    goal = h.set_goal()
    for index in range(milestones):
        h.run(
            c.AddMilestone(
                goal_id=goal, milestone_id=f"m{index}", title=f"Step {index}", estimate_minutes=45
            )
        )
    return h, goal


def nudge(h: Harness, policy: dict = ON) -> list:
    return h.run(c.RecordNudge(day=h.today, policy=policy))


def test_a_client_quiet_for_the_policys_days_is_due_a_nudge_about_the_next_open_milestone():
    h, goal = client_with_goal()
    h.run(c.CompleteMilestone(goal_id=goal, milestone_id="m0"))
    h.advance(days=6)
    assert nudge(h) == []
    h.advance(days=1)
    (event,) = nudge(h)
    assert (event.goal_id, event.milestone_id, event.milestone_title, event.quiet_days) == (
        goal,
        "m1",
        "Step 1",
        7,
    )
    assert event.day == h.today and event.goal_statement == "Complete a system design course"


def test_nothing_is_due_while_the_organisation_has_not_opted_in():
    h, _ = client_with_goal()
    h.advance(days=30)
    assert nudge(h, {}) == [] and nudge(h, {**ON, "enabled": False}) == []


def test_a_check_in_or_a_completed_milestone_restarts_the_quiet_spell():
    h, goal = client_with_goal()
    h.advance(days=6)
    h.run(c.RecordCheckIn(goal_id=goal, check_in_id="k1", value=1, confidence=6))
    h.advance(days=6)
    assert nudge(h) == []
    h.run(c.CompleteMilestone(goal_id=goal, milestone_id="m0"))
    h.advance(days=6)
    assert nudge(h) == []
    h.advance(days=1)
    assert len(nudge(h)) == 1


def test_a_goal_without_an_open_milestone_is_nudged_to_add_one():
    h, goal = client_with_goal(milestones=0)
    h.advance(days=10)
    (event,) = nudge(h)
    assert (event.goal_id, event.milestone_id, event.milestone_title) == (goal, None, None)


def test_paused_achieved_and_dropped_goals_are_never_nudged():
    h, goal = client_with_goal()
    other = h.set_goal()
    h.run(c.PauseGoal(goal_id=goal))
    h.run(c.DropGoal(goal_id=other, reason="no longer fits"))
    h.advance(days=30)
    assert nudge(h) == []
    h.run(c.ResumeGoal(goal_id=goal))
    h.advance(days=6)
    assert nudge(h) == [], "a resumed goal starts a new quiet spell"
    h.advance(days=1)
    assert [e.goal_id for e in nudge(h)] == [goal]


def test_an_archived_client_is_not_nudged():
    h, _ = client_with_goal()
    h.run(c.ArchiveClient(reason="on leave"))
    h.advance(days=30)
    h.refuse(c.RecordNudge(day=h.today, policy=ON), ClientIsArchived)


def test_nudges_come_at_most_every_min_days_between_and_once_a_day():
    h, _ = client_with_goal()
    h.advance(days=7)
    assert len(nudge(h)) == 1
    assert nudge(h) == [], "the same day again records nothing"
    policy = {**ON, "min_days_between": 3}
    h.advance(days=2)
    assert nudge(h, policy) == []
    h.advance(days=1)
    assert len(nudge(h, policy)) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"quiet_days": 0},
        {"quiet_days": 91},
        {"min_days_between": "7"},
        {"enabled": "yes"},
        {"cadence": 3},
        [],
    ],
)
def test_a_bad_nudge_policy_is_refused(data):
    with pytest.raises(InvalidNudgePolicy):
        NudgePolicy.from_dict(data)


DAY = st.sampled_from(["quiet", "check_in", "complete", "pause", "resume", "add"])


@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(DAY, min_size=1, max_size=60),
    quiet_days=st.integers(1, 10),
    min_days_between=st.integers(1, 10),
)
def test_for_any_history_nudges_respect_the_policy_and_skip_paused_goals(
    days, quiet_days, min_days_between
):
    h, goal = client_with_goal(milestones=0)
    policy = {"enabled": True, "quiet_days": quiet_days, "min_days_between": min_days_between}
    nudged, added = [], 0
    for action in days:
        h.advance(days=1)
        status = h.plan.goals[goal].status
        if action == "check_in" and status == ACTIVE:
            h.run(c.RecordCheckIn(goal_id=goal, check_in_id=f"k{h.today}", value=1, confidence=5))
        elif action == "add":
            h.run(
                c.AddMilestone(
                    goal_id=goal, milestone_id=f"m{added}", title="Step", estimate_minutes=30
                )
            )
            added += 1
        elif action == "complete":
            open_ = [m for m in h.plan.goals[goal].milestones.values() if m.status == "open"]
            if open_:
                h.run(c.CompleteMilestone(goal_id=goal, milestone_id=open_[0].milestone_id))
        elif action == "pause" and status == ACTIVE:
            h.run(c.PauseGoal(goal_id=goal))
        elif action == "resume" and status != ACTIVE:
            h.run(c.ResumeGoal(goal_id=goal))
        paused = h.plan.goals[goal].status != ACTIVE
        events = nudge(h, policy) + nudge(h, policy)
        assert len(events) <= 1
        if events:
            assert not paused and events[0].quiet_days >= quiet_days
            nudged.append(events[0].day)
    gaps = [(later - earlier).days for earlier, later in zip(nudged, nudged[1:])]
    assert all(gap >= min_days_between for gap in gaps)
