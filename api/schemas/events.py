"""Schemas of the organisation's event feed (`GET /v1/events`) and history export (`GET /v1/exports`)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load

from api.pagination import NOT_A_CURSOR, cursor_field, page_query, read_cursor
from api.schemas.common import InputSchema
from api.schemas.views import HistoryEntrySchema

FEED_DEFAULT_LIMIT = 100
FEED_MAX_LIMIT = 500
_BIGINT = 2**63 - 1


def feed_position(position: Any) -> tuple[int, int]:
    """A feed cursor's position: the `[transaction id, position]` pair after an event (`[-1, 0]`: the start)."""
    if not (
        isinstance(position, list)
        and len(position) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in position)
        and -1 <= position[0] <= _BIGINT
        and 0 <= position[1] <= _BIGINT
    ):
        raise ValueError(NOT_A_CURSOR)
    return position[0], position[1]


EventsQuerySchema = page_query(
    "EventsQuerySchema",
    position=feed_position,
    default_limit=FEED_DEFAULT_LIMIT,
    max_limit=FEED_MAX_LIMIT,
)


class ExportQuerySchema(InputSchema):
    cursor = cursor_field(
        "Resume after a line: that line's `cursor` (or the end line's, for what came since); "
        "none for the whole history"
    )

    @post_load
    def read_position(self, data, **_):
        return read_cursor(data, feed_position)


class FeedEventSchema(HistoryEntrySchema):
    """An event of the feed: the history's entry (without its description) and the client it belongs to."""

    class Meta:
        exclude = ("description",)

    client_id = fields.String(
        required=True, metadata={"description": "The client whose plan the event belongs to"}
    )


class EventsPageSchema(Schema):
    items = fields.List(
        fields.Nested(FeedEventSchema),
        required=True,
        metadata={"description": "The organisation's events in commit order"},
    )
    next_cursor = fields.String(
        required=True,
        metadata={
            "description": (
                "Pass as `cursor` for the next page. Never null: at the head of the feed it is where to poll from "
                "later (the same cursor until new events commit)"
            )
        },
    )
    at_head = fields.Boolean(
        required=True,
        metadata={
            "description": (
                "True when this page reached the head of the feed (poll later); false when more events may "
                "follow at once, even after a short or empty page (the scan of other events has a budget)"
            )
        },
    )
