"""What the positions in this service's cursors look like, checked before a list reads a page.

Each list names one of these in `page_query(position=...)`, so a cursor of
another list, or one edited by hand, is a 422 (`api.pagination.NOT_A_CURSOR`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.pagination import NOT_A_CURSOR, any_text, text_pair


def moment_and_id(position: Any) -> tuple[datetime, str]:
    """`[moment, id]` of a newest-first log (digests, digest runs, keys): an aware instant and an id."""
    moment, row_id = text_pair(position)
    try:
        at = datetime.fromisoformat(moment)
    except ValueError as error:
        raise ValueError(NOT_A_CURSOR) from error
    if at.tzinfo is None:
        raise ValueError(NOT_A_CURSOR)
    return at.astimezone(UTC), row_id


def rank_and_id(position: Any) -> tuple[int, str]:
    """`[rank, id]` of a list ranked at read time (the caseload: minus the attention score, client id)."""
    if not (isinstance(position, list) and len(position) == 2):
        raise ValueError(NOT_A_CURSOR)
    rank, row_id = position
    if isinstance(rank, bool) or not isinstance(rank, int) or abs(rank) > 10**9:
        raise ValueError(NOT_A_CURSOR)
    return rank, any_text(row_id)


def finding_place(position: Any) -> tuple[int, float, str]:
    """`[severity rank, minus seconds since, finding key]` of a client's current findings."""
    if not (isinstance(position, list) and len(position) == 3):
        raise ValueError(NOT_A_CURSOR)
    severity, since, key = position
    if isinstance(severity, bool) or not isinstance(severity, int) or not 0 <= severity < 10:
        raise ValueError(NOT_A_CURSOR)
    if isinstance(since, bool) or not isinstance(since, (int, float)) or abs(since) > 10**11:
        raise ValueError(NOT_A_CURSOR)
    return severity, float(since), any_text(key)
