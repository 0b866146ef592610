"""Answer schemas that dump as marshmallow does, at a fraction of its cost, for the views read most.

A roadmap answer is some 150 values in two dozen nested schemas; marshmallow's
generic dump passes each through an accessor, a field's `serialize` and its
hooks, and that was a third of a roadmap read's CPU. `PlannedDump.dump`
plans each schema once (its dump fields, keys and converters) and then walks
a dict answer with plain dict look-ups and the same conversions marshmallow
makes: a string field's `str`, an integer's `int`, None kept, nested schemas
and lists recursed into, keys the schema does not declare dropped.
Whatever the plan does not cover is left to marshmallow itself: a schema
with hooks, an answer that is not a dict, a key that is absent (defaults), a
field of another kind (its own `serialize`). `tests/unit/api` holds the two
to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.utils import ensure_text_type

from api.schemas.view_fields import AsIs

Dumper = Callable[[Any], Any]
# (attribute name, key in the answer, key in the object, converter of a value found there, field)
Step = tuple[str, str, str, Dumper | None, fields.Field]


def _text(value):
    return value if value is None or type(value) is str else ensure_text_type(value)


def _integer(value):
    return None if value is None else int(value)


def _as_is(value):
    return value


def _converter(field: fields.Field) -> Dumper | None:
    """How a value of `field` is dumped (marshmallow's own conversion), or None: leave it to the field."""
    kind = type(field)
    if kind is fields.String:
        return _text
    if kind is AsIs:
        return _as_is
    if kind is fields.Integer and not field.as_string:
        return _integer
    if kind is fields.Nested and isinstance(field.nested, type | Schema):
        nested = field.schema
        return _nullable(dumper(nested, many=nested.many or field.many))
    if kind is fields.List and (inner := _converter(field.inner)) is not None:
        return lambda value: None if value is None else [inner(each) for each in value]
    return None


def _nullable(dump: Dumper) -> Dumper:
    return lambda value: None if value is None else dump(value)


def dumper(schema: Schema, many: bool = False) -> Dumper:
    """A function dumping what `schema.dump` dumps; planned when the schema allows it."""
    if any(schema._hooks[tag] for tag in ("pre_dump", "post_dump")):
        return lambda obj: schema.dump(obj, many=many)
    steps: list[Step] = [
        (
            name,
            field.data_key if field.data_key is not None else name,
            field.attribute or name,
            _converter(field) if "." not in (field.attribute or name) else None,
            field,
        )
        for name, field in schema.dump_fields.items()
    ]
    accessor = schema.get_attribute

    def dump_one(obj):
        if type(obj) is not dict:
            return Schema._serialize(schema, obj)
        answer = {}
        for name, key, source, convert, field in steps:
            if convert is not None and source in obj:
                answer[key] = convert(obj[source])
                continue
            value = field.serialize(name, obj, accessor=accessor)
            if value is not missing:
                answer[key] = value
        return answer

    if many:
        return lambda objs: dump_one(objs) if objs is None else [dump_one(obj) for obj in objs]
    return dump_one


class PlannedDump(Schema):
    """A schema whose `dump` runs a plan made once per instance (see the module's docstring)."""

    def dump(self, obj: Any, *, many: bool | None = None):
        many = self.many if many is None else bool(many)
        plans = self.__dict__.setdefault("_planned", {})
        if many not in plans:
            plans[many] = dumper(self, many)
        return plans[many](obj)
