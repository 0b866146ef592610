"""The actor of a history entry, typed: what the schema dumps and refuses."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from api.schemas.views import ActorSchema, HistoryEntrySchema


def test_a_history_entry_carries_its_actor_typed():
    actor = {"kind": "coach", "id": "coach-1", "name": "Maria", "key_id": "k"}
    dumped = HistoryEntrySchema().dump({"version": 1, "actor": actor})
    assert dumped["actor"] == actor
    assert ActorSchema().dump({"kind": "scheduler"}) == {"kind": "scheduler"}
    with pytest.raises(ValidationError):
        ActorSchema().load({"kind": "robot"})
