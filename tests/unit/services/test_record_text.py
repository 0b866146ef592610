"""An event's record written as text is byte for byte `json.dumps` of the record with its actor."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from eventstore.records import StoredEvent
from projections.queries import event_record
from services.record_text import RecordWriter, stdlib_json

WHEN = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)


def event(**changes) -> StoredEvent:
    fields = {
        "position": 7,
        "tx_id": 900,
        "stream_id": f"client-{uuid.uuid4()}",
        "stream_version": 3,
        "event_id": uuid.uuid4(),
        "type": "GoalSet",
        "schema_version": 2,
        "data": {"goal_id": "g-1", "title": "Lead the platform team", "weight": 0.5},
        "metadata": {"actor": "key:abc", "organisation_id": "org-1", "request_id": "r-1"},
        "recorded_at": WHEN,
        "hash": bytes(range(32)),
        "prev_hash": bytes(range(32, 64)),
        "erased": None,
    }
    return StoredEvent(**{**fields, **changes})


EVENTS = [
    event(),
    event(prev_hash=None, stream_version=1),
    event(data={"display_name": None, "note": "x"}, erased=("display_name",)),
    event(erased=()),
    event(stream_id="organisation-settings", type='Odd "type"\\ é'),
    event(
        data={"name": "Zoë Ñúñez 🚀", "ctl": 'a\x00b\x1f\x7f\n\t"\\/', "nested": [[], {}, [1, {}]]}
    ),
    event(data={"floats": [1e16, 1e-5, 0.00001234, 1.0, -0.0, 123456789.123, 2**70]}),
    event(data={}, metadata={}),
    event(recorded_at=WHEN.astimezone(timezone(timedelta(hours=-5))).replace(microsecond=0)),
    event(metadata={"actor": "scheduler", "organisation_id": "org-1", "n": True, "z": None}),
]


@pytest.mark.parametrize("stored", EVENTS)
@pytest.mark.parametrize(
    "actor",
    [{"kind": "coach", "id": "c-1", "name": "Ana Lía", "key_id": "k"}, {"kind": "scheduler"}],
)
def test_the_text_is_json_dumps_of_the_record_with_its_actor(stored, actor):
    writer = RecordWriter()
    expected = json.dumps({**event_record(stored), "actor": actor})

    assert writer.text(stored, json.dumps(actor)) == expected
    assert writer.text(stored, json.dumps(actor)) == expected  # from the caches too


@pytest.mark.parametrize(
    "value", [{"a": [1, 2.5, None, True]}, "é\x7f", [], {}, 1e300, {"k": {"l": []}}]
)
def test_stdlib_json_is_json_dumps(value):
    assert stdlib_json(value) == json.dumps(value)
