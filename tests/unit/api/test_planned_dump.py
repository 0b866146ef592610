"""The planned dump answers exactly what marshmallow's dump answers, for the views and for the odd cases."""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from marshmallow import Schema, fields, post_dump

from api.schemas.planned_dump import PlannedDump, dumper
from api.schemas.view_fields import AsIs
from api.schemas.views import MomentumSchema, RoadmapSchema
from careerplan.seed_example import seed_example_commands
from projections.momentum import momentum
from projections.roadmap import roadmap

sys.path.insert(0, str(Path(__file__).parents[1] / "projections"))  # the projections' story helpers
from projection_story import fold, stored_history  # noqa: E402


def marshmallow_dump(schema: Schema, obj, many: bool = False):
    return Schema.dump(schema, obj, many=many)


@pytest.mark.parametrize("today", [date(2026, 1, 5), date(2026, 8, 1), date(2029, 6, 1)])
def test_roadmap_and_momentum_answers_dump_as_marshmallow_dumps_them(today):
    now = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    view = fold(
        stored_history(seed_example_commands("c1", "o1", "k1", now.date()), now, "c1"), "c1"
    )
    for schema, answer in (
        (RoadmapSchema(), roadmap(view, today)),
        (MomentumSchema(), momentum(view, today)),
    ):
        assert schema.dump(answer) == marshmallow_dump(schema, answer)
        assert list(schema.dump(answer)) == list(marshmallow_dump(schema, answer))  # key order


class Inner(Schema):
    name = fields.String()
    count = fields.Integer(allow_none=True)


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def shout(self, data, **_):
        return {"name": data["name"].upper()}


class Odd(PlannedDump):
    text = fields.String(allow_none=True)
    number = AsIs(allow_none=True)
    count = fields.Integer(allow_none=True)
    counted = fields.Integer(as_string=True)
    flag = fields.Boolean()
    renamed = fields.String(attribute="source", data_key="shown")
    dotted = fields.String(attribute="inner.name")
    defaulted = fields.String(dump_default="dflt")
    inner = fields.Nested(Inner, allow_none=True)
    inners = fields.List(fields.Nested(Inner))
    many_inner = fields.Nested(Inner, many=True)
    hooked = fields.Nested(Hooked)
    texts = fields.List(fields.String(), allow_none=True)
    days = fields.List(fields.Date())


ODD_ANSWERS = [
    {},
    {"text": None, "number": None, "count": None, "inner": None, "texts": None},
    {
        "text": 7,
        "number": 3,
        "count": "12",
        "counted": 4,
        "flag": "yes",
        "source": "s",
        "inner": {"name": 1, "count": 2.0, "extra": "dropped"},
        "inners": [{"name": "a"}, {"count": None}],
        "many_inner": [{"name": b"bytes"}],
        "hooked": {"name": "quiet"},
        "texts": ["a", 2, None],
        "days": [date(2026, 1, 2)],
        "undeclared": "dropped",
    },
]


@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers_dump_as_marshmallow_dumps_them(answer):
    schema = Odd()
    assert schema.dump(answer) == marshmallow_dump(schema, answer)


def test_many_objects_and_answers_that_are_not_dicts_go_as_marshmallow_takes_them():
    schema = Odd()
    assert schema.dump(ODD_ANSWERS, many=True) == marshmallow_dump(schema, ODD_ANSWERS, many=True)

    class Answer:
        text, count = "t", 3

    assert schema.dump(Answer()) == marshmallow_dump(schema, Answer())
    assert dumper(Hooked())({"name": "x"}) == {"name": "X"}
