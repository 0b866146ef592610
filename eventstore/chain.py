"""Each stream as a hash chain: an event's hash covers its stored content and its predecessor's hash.

Altering, removing or reordering a stored event breaks the chain at that
event, so an auditor can prove a history unaltered by recomputing it. The
hash covers the row exactly as stored (personal fields still sealed), so
erasing a client's data key leaves the chain verifiable.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def _canonical_value(value: Any) -> Any:
    """`value` with every number as a float, for a stable text whatever the JSON column did.

    PostgreSQL's jsonb keeps numbers as decimals: 1e+20 comes back as the
    integer 100000000000000000000, 3 stays 3 and -0.0 becomes 0.0; as floats
    (plus 0.0, which turns -0.0 into 0.0) both sides agree.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value) + 0.0
    if isinstance(value, dict):
        return {key: _canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    raise TypeError(f"not JSON data: {type(value).__name__}")


def _instant(recorded_at: datetime) -> str:
    if recorded_at.tzinfo is None:  # SQLite keeps naive UTC
        recorded_at = recorded_at.replace(tzinfo=timezone.utc)
    return recorded_at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def event_hash(
    prev_hash: bytes | None,
    stream_id: str,
    stream_version: int,
    event_id: uuid.UUID,
    type_: str,
    schema_version: int,
    data: dict[str, Any],
    metadata: dict[str, Any],
    recorded_at: datetime,
) -> bytes:
    """SHA-256 of an event's stored content chained to the previous event's hash (None for the first)."""
    content = [
        prev_hash.hex() if prev_hash is not None else None,
        stream_id,
        stream_version,
        str(event_id),
        type_,
        schema_version,
        _canonical_value(data),
        _canonical_value(metadata),
        _instant(recorded_at),
    ]
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).digest()


def row_hash(row: Any) -> bytes:
    """The hash a stored row should carry, recomputed from its columns."""
    return event_hash(
        row.prev_hash,
        row.stream_id,
        row.stream_version,
        row.event_id,
        row.type,
        row.schema_version,
        row.data,
        row.metadata,
        row.recorded_at,
    )


@dataclass(frozen=True)
class BrokenLink:
    """The first event at which a stream's chain does not hold, and why."""

    stream_id: str
    stream_version: int
    position: int
    problem: str


@dataclass
class ChainReport:
    """The outcome of checking streams: how much was checked and each stream's first broken link."""

    events_checked: int = 0
    streams_checked: int = 0
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.broken


def check_rows(rows: Iterable[Any], report: ChainReport | None = None) -> ChainReport:
    """Check stored rows given in (stream, version) order; report each stream's first broken link.

    A row is broken when its version does not follow its predecessor's, when
    its `prev_hash` is not its predecessor's hash, or when its own hash is not
    the hash of its content.
    """
    report = report or ChainReport()
    stream, expected_version, previous, stream_broken = None, 1, None, False
    for row in rows:
        if row.stream_id != stream:
            stream, expected_version, previous, stream_broken = row.stream_id, 1, None, False
            report.streams_checked += 1
        report.events_checked += 1
        if not stream_broken and (problem := _link_problem(row, expected_version, previous)):
            report.broken.append(
                BrokenLink(row.stream_id, row.stream_version, row.position, problem)
            )
            stream_broken = True
        expected_version, previous = row.stream_version + 1, bytes(row.hash) if row.hash else None
    return report


def _link_problem(row: Any, expected_version: int, previous: bytes | None) -> str | None:
    if row.stream_version != expected_version:
        return f"version {row.stream_version} follows version {expected_version - 1}"
    if row.hash is None:
        return "the event carries no hash"
    if (bytes(row.prev_hash) if row.prev_hash is not None else None) != previous:
        return "prev_hash is not the previous event's hash (an event was removed, replaced or reordered)"
    if row_hash(row) != bytes(row.hash):
        return "the content does not match its hash (the event was altered)"
    return None
