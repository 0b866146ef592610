"""The coach schemas on their own: what a new coach and an update may hold."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from api.schemas.coaches import CoachUpdateSchema, NewCoachSchema


def test_a_new_coach_needs_a_name_and_may_bring_an_id_and_an_email():
    loaded = NewCoachSchema().load({"name": "Maria", "email": "maria@acme.example"})
    assert loaded == {"name": "Maria", "email": "maria@acme.example", "coach_id": None}
    assert NewCoachSchema().load({"name": "M", "coach_id": "coach-1"})["coach_id"] == "coach-1"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "M", "email": "maria"},
        {"name": "M", "coach_id": "a/b"},
        {"name": "M", "coach_id": "-leading"},
        {"name": "M", "coach_id": "x" * 101},
        {"name": "M", "extra": 1},
    ],
)
def test_a_new_coach_refuses_what_it_cannot_keep(body):
    with pytest.raises(ValidationError):
        NewCoachSchema().load(body)


def test_an_update_loads_only_the_fields_sent():
    assert CoachUpdateSchema().load({"active": False}) == {"active": False}
    assert CoachUpdateSchema().load({"email": None}) == {"email": None}
    assert CoachUpdateSchema().load({}) == {}
