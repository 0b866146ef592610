"""Events to JSON-safe data and back, driven by the dataclasses' type hints.

Data holds no type names: the store keeps the type and schema version in
their own columns. Dates and datetimes become ISO 8601 strings, tuples become
lists and nested dataclasses become dicts; decoding reverses each step exactly.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
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
    return _decoder(hint)(data)


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """How to decode data of type `hint`, worked out once per type (replays decode every event)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        inner = _decoder(options[0]) if len(options) == 1 else _undecodable(hint)
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        args = typing.get_args(hint)
        item = _decoder(args[0] if len(args) == 2 and args[1] is Ellipsis else Any)
        return lambda data: tuple(item(value) for value in data)
    if hint is datetime:
        return datetime.fromisoformat
    if hint is date:
        return date.fromisoformat
    if hint is float:
        return lambda data: (
            float(data) if isinstance(data, int) and not isinstance(data, bool) else data
        )
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda data: _dataclass_from_data(hint, data)
    return _as_is


def _as_is(data: Any) -> Any:
    return data


def _undecodable(hint: Any) -> Callable[[Any], Any]:
    def refuse(data: Any) -> Any:
        raise TypeError(f"cannot decode the union {hint}")

    return refuse


def _dataclass_from_data(cls: type, data: dict[str, Any]) -> Any:
    decoders = _field_decoders(cls)
    unexpected = set(data) - set(decoders)
    if unexpected:
        raise ValueError(f"{cls.__name__} has no field(s) {sorted(unexpected)}")
    return cls(**{name: decoders[name](value) for name, value in data.items()})


@cache
def _field_decoders(cls: type) -> dict[str, Callable[[Any], Any]]:
    resolved = typing.get_type_hints(cls)
    return {f.name: _decoder(resolved[f.name]) for f in dataclasses.fields(cls) if f.init}
