"""Flask's JSON output through orjson: every answer of the API is serialised here.

Output is what Flask's default provider writes (sorted keys, dates, decimals,
UUIDs and dataclasses as Flask renders them), without the pure-Python
encoder's cost; non-ASCII text is written as UTF-8 instead of \\u escapes.
What orjson refuses to write is written by the standard library, as before.
Request bodies are still parsed by the standard library, whose errors and
numbers the request schemas were written against.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's default JSON provider, serialising with orjson."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if not kwargs.get("indent"):  # debug mode's readable output is the standard library's
            try:
                return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode()
            except (
                TypeError
            ):  # what orjson cannot write (a lone surrogate, an integer beyond 64 bits)
                pass
        return super().dumps(obj, **kwargs)
