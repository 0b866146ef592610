"""JSON text in and out of the stored columns and sealed boxes, by orjson.

Every request decodes a client view of many kilobytes, and every event read
is decoded twice (its row, then its sealed personal fields); the standard
library spent about a tenth of the API's CPU on that. What orjson refuses
(an integer beyond 64 bits or an unknown type to write, a lone surrogate's
escape to read) goes to the standard library, as before. Two differences, on
values this service never stores (the API refuses them): NaN and infinity are
written as null, and an integer beyond 64 bits is read back as a float (as
every number in an event's hash already is, eventstore/chain.py).
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(text: str | bytes) -> Any:
    """The value of JSON `text` (what orjson refuses, such as a lone surrogate's escape, by the standard library)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def dumps(value: Any) -> str:
    """`value` as compact JSON text (non-string keys written as strings, as the standard library does)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"))
