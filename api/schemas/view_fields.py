"""Fields for answers read from the views, whose values are already JSON: typed in the document, passed as they are.

The views hold dates and instants as ISO strings and numbers as the events
stored them, so these fields describe the type without converting the value
(an integer baseline stays `3`, not `3.0`): the answers keep their bytes.
"""

from __future__ import annotations

from marshmallow import fields


class AsIs(fields.Float):
    """A number (integer or fraction) answered exactly as the view holds it."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


def day(**kwargs) -> fields.String:
    """An ISO date (YYYY-MM-DD) the view holds as text."""
    metadata = {"format": "date", **kwargs.pop("metadata", {})}
    return fields.String(metadata=metadata, **kwargs)


def stamp(**kwargs) -> fields.String:
    """An RFC 3339 instant with its offset, as the view holds it (from an event's `occurred_at`)."""
    metadata = {"format": "date-time", **kwargs.pop("metadata", {})}
    return fields.String(metadata=metadata, **kwargs)
