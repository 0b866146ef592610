"""The event of a nudge: a quiet client was due a reminder on a day, about a goal and its next step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.events.base import Event


@dataclass(frozen=True, kw_only=True)
class NudgeDue(Event):
    """The daily sweep found the client quiet for `quiet_days` on `day` (their calendar).

    The goal's statement and the milestone's title are copied as they read
    then, so the notice says what to suggest; they are the client's personal
    text, sealed with the rest. `milestone_id` is None when the goal had no
    open milestone: the nudge then suggests adding the next step.
    """

    personal: ClassVar[tuple[str, ...]] = ("goal_statement", "milestone_title")

    nudge_id: str
    day: date
    goal_id: str
    goal_statement: str
    milestone_id: str | None
    milestone_title: str | None
    quiet_days: int
