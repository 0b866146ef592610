"""The feed's cursor: a `[transaction id, position]` pair, checked before it reaches the store."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from api.pagination import encode_cursor
from api.schemas.events import EventsQuerySchema, ExportQuerySchema, feed_position


def test_a_feed_position_is_a_pair_of_whole_numbers_from_the_start():
    assert feed_position([-1, 0]) == (-1, 0)
    assert feed_position([812, 40]) == (812, 40)


@pytest.mark.parametrize(
    "position",
    [[1], [1, 2, 3], [-2, 0], [0, -1], [True, 1], [1.0, 2], ["1", 2], [2**63, 1], "1:2", None],
)
def test_anything_else_is_not_a_feed_position(position):
    with pytest.raises(ValueError):
        feed_position(position)


def test_both_queries_load_the_cursor_as_after():
    cursor = encode_cursor([7, 3])
    assert EventsQuerySchema().load({"cursor": cursor}) == {"after": (7, 3), "limit": 100}
    assert ExportQuerySchema().load({"cursor": cursor}) == {"after": (7, 3)}
    assert ExportQuerySchema().load({}) == {"after": None}
    with pytest.raises(ValidationError):
        ExportQuerySchema().load({"cursor": encode_cursor("client-1")})
    with pytest.raises(ValidationError):
        EventsQuerySchema().load({"limit": 501})
