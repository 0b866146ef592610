"""The base of every career-plan event: an immutable fact in the past tense, with a schema version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, kw_only=True)
class Event:
    """A fact about one client's career plan.

    `schema_version` is the version of the event's data layout; the store keeps
    it with each event so old layouts can be upcast on read. `occurred_at` is
    when it happened (UTC): the decision time, or the client's own time for a
    check-in recorded after the fact.
    """

    schema_version: ClassVar[int] = 1
    # The fields that hold the client's personal free text (names, statements,
    # notes, reasons): stored encrypted under the client's key, erased when the
    # client is forgotten. Ids, dates, numbers and fixed choices are not.
    personal: ClassVar[tuple[str, ...]] = ()

    occurred_at: datetime
