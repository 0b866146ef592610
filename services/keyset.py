"""Keyset pages in SQL: the rows after a position in a newest-first order, never the whole table.

A log (digests, digest runs, keys) is listed newest first by its moment, ties
broken by its id, so the order is total and a page resumes exactly after the
last row it showed, whatever was added since: no row is skipped or repeated.
The position after a row is `[moment (RFC 3339, UTC), id]`; a list fetches one
row more than its page to know whether another page follows.

The condition is the OR form of `(moment, id) < (:moment, :id)`: it works on
SQLite and PostgreSQL alike. Moments are written by the service (UTC), never
by a database default, so SQLite compares them in one text form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from eventstore.schema import utc

Row = TypeVar("Row")
Position = tuple[datetime, str]


def newest_first(
    select: sa.Select, moment: sa.ColumnElement, row_id: sa.ColumnElement, after, limit: int
) -> sa.Select:
    """`select` ordered newest first (ties by id, descending), from after `after`, one row beyond `limit`."""
    if after is not None:
        at, last_id = after
        select = select.where(
            sa.or_(moment < at, sa.and_(moment == at, row_id < last_id)),
        )
    return select.order_by(moment.desc(), row_id.desc()).limit(limit + 1)


def moment_position(moment: datetime, row_id: str) -> list[str]:
    """The position after a row of a newest-first log: its moment (UTC, with offset) and id."""
    return [utc(moment).isoformat(), row_id]


def page_of(
    rows: Sequence[Row], limit: int, position: Callable[[Row], Any]
) -> tuple[list[Row], Any]:
    """The first `limit` rows, and the position after the last of them (None when no row follows)."""
    items = list(rows[:limit])
    return items, position(items[-1]) if len(rows) > limit else None


def page_after(
    entries: Sequence[Row], key: Callable[[Row], tuple], after: tuple | None, limit: int
) -> tuple[list[Row], tuple | None]:
    """A page of a list ordered in memory by `key`: the entries after the key `after`, and the next key.

    For lists computed at read time (the caseload's scores, the current
    findings), where no SQL can order them.
    """
    ordered = sorted(entries, key=key)
    rest = ordered if after is None else [entry for entry in ordered if key(entry) > after]
    return page_of(rest, limit, key)
