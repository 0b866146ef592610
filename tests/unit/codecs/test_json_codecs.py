"""The fast JSON paths write what the standard library wrote, for every JSON value (and then some)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from hypothesis import given
from hypothesis import strategies as st

from api.json_provider import OrjsonProvider
from eventstore import json_text


def json_values_with(integers):
    """Any JSON value, with text that may hold lone surrogates, and integers drawn from `integers`."""
    return st.recursive(
        st.none()
        | st.booleans()
        | integers
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
        ),
        max_leaves=20,
    )


json_values = json_values_with(st.integers())
# orjson reads integers beyond 64 bits as floats (a difference json_text documents).
json_values_within_64_bits = json_values_with(st.integers(-(2**63), 2**64 - 1))


@dataclass
class Sample:
    name: str
    at: datetime


@given(json_values)
def test_stored_json_text_is_what_the_standard_library_writes(value):
    assert json.loads(json_text.dumps(value)) == json.loads(json.dumps(value))


@given(json_values_within_64_bits)
def test_stored_json_text_reads_what_the_standard_library_reads(value):
    text = json.dumps(value)
    assert json_text.loads(text) == json.loads(text)


def test_stored_json_text_keeps_what_orjson_cannot_write_or_read():
    assert json_text.dumps({"big": 2**70}) == '{"big":1180591620717411303424}'
    assert json_text.dumps({1: "a"}) == '{"1":"a"}'  # non-string keys become strings, as before
    assert json_text.loads(json_text.dumps({"s": "\ud800x"})) == {"s": "\ud800x"}


@given(json_values)
def test_answers_are_written_as_flasks_default_provider_writes_them(value):
    app = Flask(__name__)
    ours, flasks = OrjsonProvider(app), DefaultJSONProvider(app)
    assert json.loads(ours.dumps(value)) == json.loads(flasks.dumps(value))


def test_answers_render_flasks_own_types_as_flask_does():
    app = Flask(__name__)
    value = {
        "on": date(2026, 11, 27),
        "at": datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc),
        "id": uuid.UUID(int=7),
        "amount": Decimal("1.10"),
        "sample": Sample("x", datetime(2026, 1, 2)),
        "b": 1,
        "a": 2,
    }
    ours, flasks = OrjsonProvider(app).dumps(value), DefaultJSONProvider(app).dumps(value)
    assert json.loads(ours) == json.loads(flasks)
    assert list(json.loads(ours)) == sorted(json.loads(ours))  # keys sorted, as Flask sorts them
    assert OrjsonProvider(app).dumps({2: "a", 1: "b"}) == '{"1":"b","2":"a"}'
