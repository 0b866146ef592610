"""The digest tests' client: the seed's worked example, then ten weeks of small wins, decided by the real domain.

Shared by the unit tests and the browser test (hence at the top of `tests/`,
which is on the path). Enrolled Monday 2026-01-05; `TODAY` is Wednesday of
ISO week 2026-W13, so the last complete week is 2026-W12 and the chart's
twelve weeks run from 2026-W02 (the seed's own two wins) to 2026-W13.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from unit.projections.projection_story import START, Story, new_id

from careerplan.seed_example import REQUIREMENTS, seed_example_commands, seed_id
from domain import commands as c

TODAY = START.date() + timedelta(weeks=11, days=2)
WINS_PER_WEEK = (1, 2, 0, 1, 3, 0, 2, 1, 2, 3)  # ISO weeks 2026-W03 .. 2026-W12
CHECK_IN_WEEKS = {1, 3, 4, 6, 8, 9}  # weeks whose first win is a forward check-in


def seed_story(client_id: str = "client-1", display_name: str | None = None) -> Story:
    """The seed example for `client_id`, with a win pattern over ten weeks and one win this week."""
    story = Story(client_id, START)
    for command in seed_example_commands(client_id, "org-1", "coach-1", story.today):
        if display_name is not None and isinstance(command, c.EnrolClient):
            command = replace(command, display_name=display_name)
        story.run(command)
    story.requirement_ids = [seed_id(client_id, "requirement", key) for key, _, _ in REQUIREMENTS]
    goal, value = seed_id(client_id, "goal", "system-design"), 1
    for week, wins in enumerate(WINS_PER_WEEK, start=1):
        story.now = START + timedelta(weeks=week, days=1)
        for index in range(wins):
            if index == 0 and week in CHECK_IN_WEEKS:
                value += 1
                story.check_in(goal, value, confidence=7, note=f"module {value} done")
            else:
                _step(story, goal, f"Week {week} step {index + 1}")
    story.now = START + timedelta(weeks=11, hours=2)
    story.run(
        c.CompleteMilestone(goal_id=goal, milestone_id=seed_id(client_id, "milestone", "sketch"))
    )
    story.now = START + timedelta(weeks=11, days=2)
    return story


def _step(story: Story, goal_id: str, title: str) -> None:
    milestone_id = new_id()
    story.run(
        c.AddMilestone(goal_id=goal_id, milestone_id=milestone_id, title=title, estimate_minutes=30)
    )
    story.run(c.CompleteMilestone(goal_id=goal_id, milestone_id=milestone_id))
