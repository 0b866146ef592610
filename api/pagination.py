"""One pagination contract for every list: `limit` and an opaque `cursor` in, `next_cursor` out.

A cursor is the position after the last item of a page, as the list's service
names it (a client id, a `[recorded_at, id]` pair, a store position): JSON,
base64url-encoded so that callers treat it as opaque and need no escaping in a
URL. Each list says what a position must look like (`position`), so a cursor
from another list, or one edited by hand, is a 422 rather than a wrong page.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Callable

import orjson
from marshmallow import Schema, ValidationError, fields, post_load, validate

from api.schemas.common import InputSchema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_CHARS = 1024
NOT_A_CURSOR = "not a cursor this list returned"


def encode_cursor(position: Any) -> str | None:
    """The cursor for the page after `position`; None (the last page) when there is none."""
    if position is None:
        return None
    return base64.urlsafe_b64encode(orjson.dumps(position)).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """The position a cursor of `encode_cursor` holds (ValueError when it holds none)."""
    try:
        return orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, orjson.JSONDecodeError) as error:
        raise ValueError(NOT_A_CURSOR) from error


def any_text(position: Any) -> str:
    """A position that is a text (an id): the default for a list ordered by id."""
    if not isinstance(position, str) or not 0 < len(position) <= 200 or "\x00" in position:
        raise ValueError(NOT_A_CURSOR)
    return position


def whole_number(position: Any) -> int:
    """A position that is a non-negative integer (a version, a store position)."""
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ValueError(NOT_A_CURSOR)
    return position


def text_pair(position: Any) -> tuple[str, str]:
    """A position that is a pair of texts, e.g. `[recorded_at, id]` for a newest-first log."""
    if not (
        isinstance(position, list)
        and len(position) == 2
        and all(isinstance(part, str) and 0 < len(part) <= 200 for part in position)
    ):
        raise ValueError(NOT_A_CURSOR)
    return position[0], position[1]


def cursor_field(description: str) -> fields.String:
    """The optional `cursor` parameter of a query (opaque, as this service handed it out)."""
    return fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=MAX_CURSOR_CHARS),
        metadata={"description": description},
    )


def read_cursor(data: dict, position: Callable[[Any], Any]) -> dict:
    """`data` with its `cursor` replaced by `after`: the position it holds, checked (422 if none)."""
    cursor = data.pop("cursor")
    try:
        data["after"] = position(decode_cursor(cursor)) if cursor else None
    except ValueError as error:
        raise ValidationError(NOT_A_CURSOR, "cursor") from error
    return data


def page_query(
    name: str,
    position: Callable[[Any], Any] = any_text,
    default_limit: int = DEFAULT_LIMIT,
    max_limit: int = MAX_LIMIT,
    **filters: fields.Field,
) -> type[Schema]:
    """A list's query schema: `limit`, `cursor` and its own `filters`; loads the cursor as `after`.

    `after` is the decoded position (None on the first page), checked by `position`.
    """

    def read_position(self, data, **_):
        return read_cursor(data, position)

    attributes = {
        "limit": fields.Integer(
            load_default=default_limit,
            validate=validate.Range(1, max_limit),
            metadata={
                "description": f"Items per page: {default_limit} unless given, at most {max_limit}"
            },
        ),
        "cursor": cursor_field(
            "The `next_cursor` of the previous page (opaque); none for the first page"
        ),
        "read_position": post_load(read_position),
        **filters,
    }
    return type(name, (InputSchema,), attributes)


def page_schema(name: str, item: type[Schema] | Schema, description: str = "") -> type[Schema]:
    """A page of `item`s, with the cursor of the next page (null on the last)."""
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(
                fields.Nested(item),
                required=True,
                metadata={"description": description} if description else {},
            ),
            "next_cursor": fields.String(
                required=True,
                allow_none=True,
                metadata={
                    "description": "Pass as `cursor` for the next page; null on the last page"
                },
            ),
        },
    )


def page(items: list, next_position: Any) -> dict:
    """The body of a page: its items and the cursor after them."""
    return {"items": items, "next_cursor": encode_cursor(next_position)}
