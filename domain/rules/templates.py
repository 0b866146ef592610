"""Template rules: apply what a coach accepts of a template version, through the plan's ordinary rules.

One decision, all or nothing: `TemplateApplied` (the provenance) first, then
the destination if the client has none, each accepted requirement, goal and
first milestone, each checked by the rule that checks it when a coach adds it
by hand (an 11th requirement, a goal past the two-year rule, a 200-minute
milestone: the whole application is refused and nothing is written).
"""

from __future__ import annotations

from datetime import datetime

from domain.commands import AddMilestone, AddRequirement, ApplyTemplate, SetDestination, SetGoal
from domain.dates import local_today
from domain.events import TemplateApplied
from domain.rules.base import PlanRules, applies
from domain.template_proposal import Proposal, accepted, propose
from domain.templates import checked_body


class TemplateRules(PlanRules):
    """Applying a programme template to the plan."""

    def template_proposal(self, command: ApplyTemplate, now: datetime) -> Proposal:
        """The template version dated for this client as of `now`, marking what the plan holds already."""
        self._check_enrolled()
        start_on = max(local_today(self.enrolled_at, self.timezone), self._today(now))
        return propose(
            checked_body(command.body),
            client_id=self.client_id,
            template_id=command.template_id,
            version=command.template_version,
            start_on=start_on,
            has_destination=self.destination is not None,
            in_plan=frozenset(self.requirements) | frozenset(self.goals),
        )

    def apply_template(self, command: ApplyTemplate, now: datetime) -> None:
        """Record the provenance, then the accepted destination, requirements, goals and milestones."""
        proposal = self.template_proposal(command, now)
        active = frozenset(r.requirement_id for r in self.active_requirements)
        requirements, goals = accepted(
            proposal, command.requirement_keys, command.goal_keys, active
        )
        self._record(
            TemplateApplied(
                occurred_at=now,
                template_id=command.template_id,
                template_version=command.template_version,
                template_name=command.template_name,
                requirement_ids=tuple(r.requirement_id for r in requirements),
                goal_ids=tuple(g.goal_id for g in goals),
            )
        )
        if (d := proposal.destination) is not None:
            self.set_destination(
                SetDestination(
                    statement=d.statement,
                    role=d.role,
                    industry=d.industry,
                    impact=d.impact,
                    horizon=d.horizon,
                ),
                now,
            )
        for r in requirements:
            self.add_requirement(
                AddRequirement(
                    requirement_id=r.requirement_id, kind=r.kind, description=r.description
                ),
                now,
            )
        for goal in goals:
            self.set_goal(SetGoal(goal_id=goal.goal_id, terms=goal.terms), now)
            for m in goal.milestones:
                self.add_milestone(
                    AddMilestone(
                        goal_id=goal.goal_id,
                        milestone_id=m.milestone_id,
                        title=m.title,
                        estimate_minutes=m.estimate_minutes,
                    ),
                    now,
                )

    @applies(TemplateApplied)
    def _template_applied(self, event: TemplateApplied) -> None:
        """Provenance only: the events that follow it change the plan."""
