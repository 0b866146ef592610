"""JSON text in and out of the stored columns and sealed boxes, by orjson.

Every request decodes a client view of many kilobytes, and every event read
is decoded twice (its row, then its sealed personal fields); the standard
library spent about a tenth of the API's CPU on that. orjson reads the same
JSON. What it cannot write (an integer beyond 64 bits, a type it does not
know) falls back to the standard library, so writing behaves as before, and
so does reading what orjson refuses. One difference on reading: an integer beyond 64 bits comes back as a float,
as every number in an event's hash already is (eventstore/chain.py); no
event or view of this service holds one.
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
