"""Commands: what a coach or client asks the career plan to do, named as instructions.

Ids of new things (goal, requirement, milestone, check-in, review) come in
the command, chosen by the caller, so deciding a command is deterministic
and a retried command names the same ids.

Every command may say when its fact happened in the client's life
(`occurred_at`, business time); left out, it happened when it is decided.
`domain.rules.timing` refuses a moment in the future or before what the fact
refers to existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.alignment_policy import AlignmentPolicy
from domain.nudges import NudgePolicy
from domain.pivots import ProposedRequirement
from domain.values import GoalTerms, TermsPatch

if TYPE_CHECKING:  # the template's rules import the commands
    from domain.templates import TemplateBody


@dataclass(frozen=True, kw_only=True)
class Command:
    """Base of every command; `decide` dispatches on the concrete class.

    `occurred_at` None means now (the decision time).
    """

    occurred_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class EnrolClient(Command):
    client_id: str
    organisation_id: str
    coach_id: str
    display_name: str
    timezone: str
    review_cadence_months: int = 3


@dataclass(frozen=True, kw_only=True)
class ReassignCoach(Command):
    coach_id: str


@dataclass(frozen=True, kw_only=True)
class ChangeClientDetails(Command):
    """Fields left None keep their current value."""

    display_name: str | None = None
    timezone: str | None = None
    review_cadence_months: int | None = None


@dataclass(frozen=True, kw_only=True)
class ArchiveClient(Command):
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ReactivateClient(Command):
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class SetDestination(Command):
    statement: str
    role: str
    industry: str
    impact: str
    horizon: date


@dataclass(frozen=True, kw_only=True)
class ReviseDestination(Command):
    """Fields left None keep their current value.

    A new role or industry is a career pivot: with `pivot_id` the revision
    starts one (the destination changes when it completes); without, it is refused.
    """

    statement: str | None = None
    role: str | None = None
    industry: str | None = None
    impact: str | None = None
    horizon: date | None = None
    pivot_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddRequirement(Command):
    requirement_id: str
    kind: str
    description: str


@dataclass(frozen=True, kw_only=True)
class ReviseRequirement(Command):
    """Fields left None keep their current value."""

    requirement_id: str
    kind: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class RetireRequirement(Command):
    requirement_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class SetGoal(Command):
    goal_id: str
    terms: GoalTerms


@dataclass(frozen=True, kw_only=True)
class RefineGoal(Command):
    goal_id: str
    changes: TermsPatch


@dataclass(frozen=True, kw_only=True)
class PauseGoal(Command):
    goal_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ResumeGoal(Command):
    goal_id: str


@dataclass(frozen=True, kw_only=True)
class AchieveGoal(Command):
    goal_id: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class DropGoal(Command):
    goal_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReplaceGoal(Command):
    """Set `replacement` and mark `goal_id` replaced by it, in one decision."""

    goal_id: str
    replacement: SetGoal
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ReopenGoal(Command):
    goal_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class AddMilestone(Command):
    goal_id: str
    milestone_id: str
    title: str
    estimate_minutes: int


@dataclass(frozen=True, kw_only=True)
class CompleteMilestone(Command):
    goal_id: str
    milestone_id: str


@dataclass(frozen=True, kw_only=True)
class ReopenMilestone(Command):
    goal_id: str
    milestone_id: str


@dataclass(frozen=True, kw_only=True)
class RemoveMilestone(Command):
    goal_id: str
    milestone_id: str


@dataclass(frozen=True, kw_only=True)
class RecordCheckIn(Command):
    """`corrects` names an earlier check-in of the goal."""

    goal_id: str
    check_in_id: str
    confidence: int
    value: float | None = None
    note: str = ""
    corrects: str | None = None


@dataclass(frozen=True, kw_only=True)
class StartReview(Command):
    review_id: str


@dataclass(frozen=True, kw_only=True)
class RecordReviewDecision(Command):
    """`refinement` is required for "tweak", `replacement` for "replace", `note` for "dropped"."""

    review_id: str
    goal_id: str
    decision: str
    note: str = ""
    refinement: TermsPatch | None = None
    replacement: SetGoal | None = None


@dataclass(frozen=True, kw_only=True)
class CompleteReview(Command):
    review_id: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class StartPivot(Command):
    """Review the plan against a new destination (a new role or industry) and its proposed requirements."""

    pivot_id: str
    statement: str
    role: str
    industry: str
    impact: str
    horizon: date
    requirements: tuple[ProposedRequirement, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RecordPivotDecision(Command):
    """Decide one frozen goal or requirement: keep, tweak, replace or drop.

    For a goal: `refinement` for "tweak", `replacement` for "replace", `note`
    for "drop". For a requirement: `becomes` names the proposed requirement it
    turns into (by default the one the carry-over matched); needed for
    "tweak" (reworded to it) and "replace" (retired, and it added).
    """

    pivot_id: str
    decision: str
    goal_id: str | None = None
    requirement_id: str | None = None
    note: str = ""
    refinement: TermsPatch | None = None
    replacement: SetGoal | None = None
    becomes: str | None = None


@dataclass(frozen=True, kw_only=True)
class CompletePivot(Command):
    pivot_id: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class AbandonPivot(Command):
    pivot_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RecordAlignmentCheck(Command):
    """Run a re-alignment check now; `check_id` comes from (client, time slot), so a redelivery is refused.

    `policy` is the organisation's thresholds, as a policy or as stored data.
    """

    check_id: str
    policy: AlignmentPolicy | dict = AlignmentPolicy()


@dataclass(frozen=True, kw_only=True)
class RecordNudge(Command):
    """Record the nudge the client is due on `day` (the sweep's day), if any: nothing when none is due.

    `policy` is the organisation's nudge settings, as a policy or as stored data.
    """

    day: date
    policy: NudgePolicy | dict = NudgePolicy()


@dataclass(frozen=True, kw_only=True)
class ApplyTemplate(Command):
    """Add what the coach accepts of a template version to the plan, in one decision.

    `body` is the version's checked body (see `domain.templates`). `requirement_keys`
    and `goal_keys` name what is accepted; None accepts every one the plan does
    not hold yet. The destination is set from the template only if the client has none.
    """

    template_id: str
    template_version: int
    template_name: str
    body: TemplateBody
    requirement_keys: tuple[str, ...] | None = None
    goal_keys: tuple[str, ...] | None = None
