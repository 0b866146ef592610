"""Every piece of free text a client's events carry is declared personal, so forgetting erases it."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from domain.events import EVENT_TYPES

# Text fields that are not personal: ids, references to other records, fixed choices.
NOT_PERSONAL = {
    "client_id",
    "organisation_id",
    "coach_id",
    "old_coach_id",
    "new_coach_id",
    "timezone",
    "requirement_id",
    "goal_id",
    "milestone_id",
    "check_in_id",
    "review_id",
    "check_id",
    "nudge_id",
    "replaces",
    "replaced_by",
    "corrects",
    "replacement_goal_id",
    "kind",
    "old_kind",
    "new_kind",
    "decision",
    "goal_ids",
    "pivot_id",
    "requirement_ids",
    "carried",  # ids of matched requirements and the fixed choice same / similar
    "stranded_goal_ids",
    "uncovered_requirement_ids",
    "becomes",
    "template_id",
    "template_name",  # the organisation's name for its template, not the client's text
    "policy",  # the organisation's thresholds and the names of disabled rules
}


def text_fields(cls) -> list[str]:
    """Names of the event's fields whose type holds text (str, or a value object that could)."""
    hints = typing.get_type_hints(cls)
    return [f.name for f in dataclasses.fields(cls) if f.init and _holds_text(hints[f.name])]


def _holds_text(hint) -> bool:
    if hint is str:
        return True
    if dataclasses.is_dataclass(hint):
        return any(_holds_text(h) for h in typing.get_type_hints(hint).values())
    return any(_holds_text(arg) for arg in typing.get_args(hint) if arg is not type(None))


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_every_text_field_is_personal_or_an_id_or_a_fixed_choice(name):
    cls = EVENT_TYPES[name]
    undeclared = [f for f in text_fields(cls) if f not in cls.personal and f not in NOT_PERSONAL]
    assert undeclared == [], (
        f"{name}: declare {undeclared} in `personal` or list them as not personal"
    )


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_personal_fields_name_real_fields(name):
    cls = EVENT_TYPES[name]
    assert set(cls.personal) <= {f.name for f in dataclasses.fields(cls)}
