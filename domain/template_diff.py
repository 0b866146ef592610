"""What one version of a programme template changes against another, by requirement and goal key.

A revision answers with it for each client whose plan came from an earlier
version, so their coach sees what to reconsider: requirements and goals
added, removed, or changed (and which of their fields). A goal's `serves`
is its own requirement and those it also serves.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from domain.templates import TemplateBody


@dataclass(frozen=True)
class Changed:
    """A requirement or goal both versions have, and the names of its fields that differ."""

    key: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TemplateDiff:
    """What one version of a template changes against another, by key."""

    destination_fields: tuple[str, ...]
    requirements_added: tuple[str, ...]
    requirements_removed: tuple[str, ...]
    requirements_changed: tuple[Changed, ...]
    goals_added: tuple[str, ...]
    goals_removed: tuple[str, ...]
    goals_changed: tuple[Changed, ...]

    @property
    def empty(self) -> bool:
        """True when the two versions suggest the same."""
        return not any(getattr(self, f.name) for f in fields(self))


def _changed_fields(old, new, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in fields(old)
        if f.name not in skip and getattr(old, f.name) != getattr(new, f.name)
    )


def _compare(old: dict, new: dict, skip: tuple[str, ...] = ()):
    added = tuple(key for key in new if key not in old)
    removed = tuple(key for key in old if key not in new)
    changed = tuple(
        Changed(key, found)
        for key in new
        if key in old and (found := _changed_fields(old[key], new[key], skip))
    )
    return added, removed, changed


def diff(old: TemplateBody, new: TemplateBody) -> TemplateDiff:
    """What `new` changes against `old`: requirements and goals added, removed or changed (with which fields)."""
    requirements = _compare(
        {r.key: r for r in old.requirements}, {r.key: r for r in new.requirements}, ("goals",)
    )
    old_goals = {g.key: replace(g, also_serves=(r.key, *g.also_serves)) for r, g in old.goals()}
    new_goals = {g.key: replace(g, also_serves=(r.key, *g.also_serves)) for r, g in new.goals()}
    goals = _compare(old_goals, new_goals)
    goals_changed = tuple(
        Changed(c.key, tuple("serves" if f == "also_serves" else f for f in c.fields))
        for c in goals[2]
    )
    return TemplateDiff(
        destination_fields=_changed_fields(old.destination, new.destination),
        requirements_added=requirements[0],
        requirements_removed=requirements[1],
        requirements_changed=requirements[2],
        goals_added=goals[0],
        goals_removed=goals[1],
        goals_changed=goals_changed,
    )
