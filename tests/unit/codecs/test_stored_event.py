"""The decoder's quick `StoredEvent`: the same frozen event as the dataclass's own constructor."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timezone

import pytest

from eventstore.records import StoredEvent, stored_event


def values() -> tuple:
    return (
        7,
        3,
        "client-1",
        2,
        uuid.uuid4(),
        "GoalSet",
        1,
        {"goal_id": "g"},
        {"organisation_id": "o"},
        datetime(2026, 1, 1, tzinfo=timezone.utc),
        b"h",
        b"p",
        ("note",),
    )


def test_a_quick_stored_event_equals_one_the_dataclass_builds():
    made = values()

    quick = stored_event(*made)

    assert quick == StoredEvent(*made)
    assert dataclasses.astuple(quick) == made
    assert quick.forgotten and quick.cursor == StoredEvent(*made).cursor


def test_a_quick_stored_event_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        stored_event(*values()).position = 8
