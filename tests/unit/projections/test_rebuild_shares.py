"""What a rebuild's worker folds at a time (whole streams) and sends back (COPY-ready values)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from eventstore import StoredEvent
from projections.rebuild import _as_copied, _whole_streams
from projections.tables import LIVE


def event(stream: str, version: int) -> StoredEvent:
    return StoredEvent(
        position=version,
        tx_id=1,
        stream_id=stream,
        stream_version=version,
        event_id=uuid.uuid4(),
        type="T",
        schema_version=1,
        data={},
        metadata={},
        recorded_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )


def streams_of(batch: list[StoredEvent]) -> list[tuple[str, list[int]]]:
    out: dict[str, list[int]] = {}
    for e in batch:
        out.setdefault(e.stream_id, []).append(e.stream_version)
    return list(out.items())


def test_each_fold_gets_whole_streams_whatever_the_batches():
    a = [event("a", v) for v in range(1, 4)]
    b = [event("b", v) for v in range(1, 8)]
    c = [event("c", v) for v in range(1, 3)]
    batches = [a[:2], a[2:] + b[:2], b[2:5], b[5:] + c[:1], c[1:], []]

    folds = [streams_of(fold) for fold in _whole_streams(iter(batches))]

    assert folds == [
        [("a", [1, 2, 3])],
        [("b", [1, 2, 3, 4, 5, 6, 7])],
        [("c", [1, 2])],
    ]


def test_nothing_to_fold_from_an_empty_scan():
    assert list(_whole_streams(iter([]))) == []


def test_rows_are_sent_as_copy_takes_them_json_as_text():
    columns, values = _as_copied(
        LIVE.client_views,
        [
            {
                "client_id": "c1",
                "organisation_id": "o",
                "coach_id": "k",
                "status": "active",
                "version": 3,
                "view": {"goals": {}, "name": "Zoë"},
            }
        ],
    )

    assert columns == ["client_id", "organisation_id", "coach_id", "version", "view", "status"]
    assert values == [("c1", "o", "k", 3, '{"goals":{},"name":"Zoë"}', "active")]
