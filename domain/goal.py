"""A goal as the plan holds it: its SMART terms, status, chain links, milestones and check-ins.

The status machine: a goal is set `active`; `active` <-> `paused`; an open
(active or paused) goal ends `achieved`, `dropped` or `replaced`; an achieved
or dropped goal may be reopened, which starts a new life-cycle and keeps the
closed one in `past_lifecycles`. One status at a time, so a life-cycle can
never be both achieved and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.goal_formulas import forward_check_ins, last_win, progress
from domain.progress import CheckIn, EffectiveCheckIn, Milestone, effective_check_ins
from domain.text import quoted
from domain.values import GoalTerms

ACTIVE, PAUSED, ACHIEVED, DROPPED, REPLACED = "active", "paused", "achieved", "dropped", "replaced"
OPEN_STATUSES = (ACTIVE, PAUSED)
REOPENABLE_STATUSES = (ACHIEVED, DROPPED)


@dataclass
class Pause:
    """When a goal was paused and, once resumed or closed, when the pause ended."""

    started_at: datetime
    ended_at: datetime | None = None


@dataclass
class Lifecycle:
    """A closed life-cycle of a reopened goal: how it ended, when, and why."""

    number: int
    outcome: str
    closed_at: datetime
    note: str


@dataclass
class Goal:
    """A short-term goal of the plan and everything that happened to it."""

    goal_id: str
    terms: GoalTerms
    set_at: datetime
    status: str = ACTIVE
    lifecycle: int = 1
    replaces: str | None = None
    replaced_by: str | None = None
    reopened_at: datetime | None = None
    closed_at: datetime | None = None
    close_note: str = ""
    past_lifecycles: list[Lifecycle] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    check_ins: list[CheckIn] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How messages name the goal: its statement and id."""
        return goal_label(self.goal_id, self.terms.statement)

    @property
    def is_open(self) -> bool:
        """True while the goal is active or paused."""
        return self.status in OPEN_STATUSES

    def effective_check_ins(self) -> list[EffectiveCheckIn]:
        """Check-ins by when they occurred, each with the values of its latest correction."""
        return effective_check_ins(self.check_ins)

    @property
    def current_value(self) -> float | None:
        """The latest effective check-in value; the baseline (None for done/not-done) before any."""
        values = [item.value for item in self.effective_check_ins() if item.value is not None]
        return values[-1] if values else self.terms.measure.baseline

    @property
    def current_confidence(self) -> int:
        """The latest effective check-in's confidence; the confidence set with the goal before any."""
        effective = self.effective_check_ins()
        return effective[-1].confidence if effective else self.terms.confidence

    def close(self, outcome: str, at: datetime, note: str) -> None:
        """End the current life-cycle as `outcome`, ending any pause; used when applying events."""
        if self.pauses and self.pauses[-1].ended_at is None:
            self.pauses[-1].ended_at = at
        self.status, self.closed_at, self.close_note = outcome, at, note

    def reopen(self, lifecycle: int, at: datetime) -> None:
        """Keep the closed life-cycle in history and start life-cycle `lifecycle` as active at `at`."""
        self.past_lifecycles.append(
            Lifecycle(self.lifecycle, self.status, self.closed_at, self.close_note)
        )
        self.lifecycle, self.status, self.closed_at, self.close_note = lifecycle, ACTIVE, None, ""
        self.reopened_at = at

    @property
    def active_since(self) -> datetime:
        """When the current life-cycle began: set, or last reopened."""
        return self.reopened_at or self.set_at

    @property
    def pause_spans(self) -> list[tuple[datetime, datetime | None]]:
        """(started, ended) of each pause, ended None while it lasts."""
        return [(pause.started_at, pause.ended_at) for pause in self.pauses]

    @property
    def last_win_at(self) -> datetime | None:
        """When the goal's latest win that still counts happened (`domain.goal_formulas` says which do)."""
        measure, effective = self.terms.measure, self.effective_check_ins()
        forward = forward_check_ins(
            (item.value for item in effective), measure.baseline, measure.target
        )
        return last_win(
            (milestone.completed_at for milestone in self.milestones.values()),
            (past.closed_at for past in self.past_lifecycles if past.outcome == ACHIEVED),
            (self.closed_at,) if self.status == ACHIEVED else (),
            (item.occurred_at for item, won in zip(effective, forward) if won),
        )

    @property
    def progress(self) -> float:
        """0.0–1.0 toward the target; a done/not-done goal counts its milestones (see `domain.goal_formulas`)."""
        live = [
            milestone.status
            for milestone in self.milestones.values()
            if milestone.status != "removed"
        ]
        measure = self.terms.measure
        return progress(
            measure.baseline,
            measure.target,
            self.current_value,
            self.status == ACHIEVED,
            (live.count("completed"), len(live)),
        )


def goal_label(goal_id: str, statement: str) -> str:
    """ "'Lead one feature end-to-end' (id 3f2…)": how a coach recognises a goal in a message."""
    return f"{quoted(statement)} (id {goal_id})"
