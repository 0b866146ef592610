"""The one pagination contract: opaque cursors that round-trip, and a clear 422 for any other."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from api.pagination import (
    decode_cursor,
    encode_cursor,
    page,
    page_query,
    text_pair,
    whole_number,
)
from api.schemas.common import instant

ById = page_query("ByIdQuery")
ByPosition = page_query("ByPositionQuery", position=whole_number, max_limit=500)
ByMoment = page_query("ByMomentQuery", position=text_pair)


@given(st.one_of(st.text(min_size=1, max_size=200).filter(lambda t: "\x00" not in t)))
def test_a_text_position_round_trips_through_its_cursor(position):
    cursor = encode_cursor(position)
    assert ById().load({"cursor": cursor})["after"] == position


@given(st.integers(min_value=0, max_value=2**62))
def test_a_store_position_round_trips_through_its_cursor(position):
    assert ByPosition().load({"cursor": encode_cursor(position)})["after"] == position


def test_the_first_page_has_no_position_and_the_default_limit():
    assert ById().load({}) == {"after": None, "limit": 50}


def test_a_cursor_of_another_list_is_refused():
    with pytest.raises(ValidationError) as refused:
        ByPosition().load({"cursor": encode_cursor("client-7")})
    assert "cursor" in refused.value.messages


@pytest.mark.parametrize("cursor", ["!!!", "bm90IGpzb24", encode_cursor([1, 2])])
def test_a_cursor_no_list_returned_is_refused(cursor):
    with pytest.raises(ValidationError):
        ByMoment().load({"cursor": cursor})


def test_a_limit_beyond_the_maximum_is_refused():
    with pytest.raises(ValidationError):
        ById().load({"limit": 201})
    assert ByPosition().load({"limit": 500})["limit"] == 500


def test_the_last_page_has_a_null_cursor():
    assert page([1, 2], None) == {"items": [1, 2], "next_cursor": None}
    assert decode_cursor(page([1], ["2026-01-01T00:00:00+00:00", "d1"])["next_cursor"]) == [
        "2026-01-01T00:00:00+00:00",
        "d1",
    ]


def test_a_stored_naive_instant_is_answered_with_its_utc_offset():
    assert (
        instant().serialize("t", {"t": datetime(2026, 3, 1, 9, 30)}) == "2026-03-01T09:30:00+00:00"
    )
