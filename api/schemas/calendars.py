"""Calendar feeds: the answer to issuing (or rotating) a coach's or client's private feed URL."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.common import instant


class IssuedCalendarSchema(Schema):
    url = fields.String(
        required=True,
        metadata={
            "description": "The feed's path (append it to this server's address): shown this once. "
            "Subscribe to it in Google Calendar or Apple Calendar; it needs no API key.",
            "example": "/v1/calendars/cal_3q2x0VhXoC6n8mS1kq9a4PpTzYbW5e7LrJdNfUuGh0A.ics",
        },
    )
    subject_kind = fields.String(
        required=True, metadata={"enum": ["client", "coach"], "example": "client"}
    )
    subject_id = fields.String(
        required=True, metadata={"example": "5a3e0c11-7d2b-4c6e-9f10-2b8d4e6a1c35"}
    )
    created_at = instant(required=True, metadata={"description": "When the feed was first issued"})
    rotated_at = instant(
        required=True,
        metadata={
            "description": "When this URL was issued: every earlier URL stopped working then"
        },
    )


ICS_TEXT = {"type": "string", "description": "An iCalendar (RFC 5545) document"}
