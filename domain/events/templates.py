"""The event of a programme template applied: which template version a plan's new parts came from."""

from __future__ import annotations

from dataclasses import dataclass

from domain.events.base import Event


@dataclass(frozen=True, kw_only=True)
class TemplateApplied(Event):
    """A coach accepted (part of) a template version for the client: its provenance.

    Recorded first in the decision, before the ordinary events it brought
    (destination, requirements, goals, milestones), whose ids it lists. The
    template's name is the organisation's text, not the client's.
    """

    template_id: str
    template_version: int
    template_name: str
    requirement_ids: tuple[str, ...]
    goal_ids: tuple[str, ...]
