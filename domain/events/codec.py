"""Events to JSON-safe data and back, driven by the dataclasses' type hints.

Data holds no type names: the store keeps the type and schema version in
their own columns. Dates and datetimes become ISO 8601 strings, tuples become
lists and nested dataclasses become dicts; decoding reverses each step exactly.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any


def to_data(value: Any) -> Any:
    """A JSON-safe copy of an event or of any value an event holds."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item) for key, item in value.items()}
    return value


def from_data(hint: Any, data: Any) -> Any:
    """The value of type `hint` that `to_data` turned into `data`."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot decode the union {hint}")
        return from_data(options[0], data)
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if len(args) == 2 and args[1] is Ellipsis else Any
        return tuple(from_data(item, value) for value in data)
    if hint is datetime:
        return datetime.fromisoformat(data)
    if hint is date:
        return date.fromisoformat(data)
    if hint is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_from_data(hint, data)
    return data


def _dataclass_from_data(cls: type, data: dict[str, Any]) -> Any:
    hints = _field_hints(cls)
    unexpected = set(data) - set(hints)
    if unexpected:
        raise ValueError(f"{cls.__name__} has no field(s) {sorted(unexpected)}")
    return cls(**{name: from_data(hints[name], value) for name, value in data.items()})


@cache
def _field_hints(cls: type) -> dict[str, Any]:
    resolved = typing.get_type_hints(cls)
    return {f.name: resolved[f.name] for f in dataclasses.fields(cls) if f.init}
