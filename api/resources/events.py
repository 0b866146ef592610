"""The organisation's events for integrators and auditors: a feed to follow, and the whole history to export."""

from __future__ import annotations

import json

from flask import Response
from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import require_role
from api.pagination import encode_cursor
from api.resources.common import services, v1_blueprint
from api.schemas.events import EventsPageSchema, EventsQuerySchema, ExportQuerySchema

blp = v1_blueprint("events", "The organisation's events: a feed to follow, and its whole history")

NDJSON = "application/x-ndjson"
EXPORT_DESCRIPTION = """JSON Lines, one object per line, oldest first.

Every line but the last is an event as the feed shows it (`client_id`,
`version`, `event_id`, `type`, `data`, `metadata`, `recorded_at`, `hash`, …)
plus `cursor`: pass a line's `cursor` as `?cursor=` to resume after it, so a
download cut after line N continues exactly at line N + 1. The last line is
`{"end_of_export": true, "events": <lines before it>, "cursor": "…"}`: a
download without it was cut short; its cursor asks later for what came since."""


@blp.route("/events")
class Events(MethodView):
    @blp.doc(operationId="listEvents")
    @blp.arguments(EventsQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, EventsPageSchema)
    def get(self, query):
        """The organisation's events in commit order, to follow with `cursor` (admins and auditors).

        Every event of every client of the organisation, each as the history
        shows it (data with erasure applied, metadata with the actor and the
        request, recorded time, hash chain) and the client it belongs to.
        Follow `next_cursor`: the cursor is the store's gap-free feed position,
        so a reader that follows it sees each event exactly once, never
        skipping one whose transaction committed late and never repeating
        one, however many writers append meanwhile. `next_cursor` is never
        null: at the head (`at_head`) it is the cursor to poll with later.
        A page looks at a bounded part of the whole feed (all organisations'
        events), so it may hold fewer than `limit` events, even none, before
        the head; `at_head` false says to follow on at once. A cursor this
        feed never returned is a 422.
        """
        who = require_role("admin", "auditor")
        found = services().views.events(who.organisation_id, query["after"], query["limit"])
        return {
            "items": found.items,
            "next_cursor": encode_cursor(list(found.next_position)),
            "at_head": found.at_head,
        }


@blp.route("/exports")
class Exports(MethodView):
    @blp.doc(operationId="exportOrganisationHistory")
    @blp.arguments(ExportQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, content_type=NDJSON)
    @blp.doc(
        responses={
            "200": {
                "description": EXPORT_DESCRIPTION,
                "content": {NDJSON: {"schema": {"type": "string"}}},
            }
        }
    )
    def get(self, query):
        """Export the organisation's whole history as JSON Lines, streamed (admins and auditors).

        Every event of every client, oldest first (commit order), up to the
        moment the export starts, streamed as it is read: memory stays
        constant whatever the history's size. Resumable: see the response.
        """
        who = require_role("admin", "auditor")
        lines = services().views.export_organisation(who.organisation_id, query["after"])
        return Response(export_lines(lines), mimetype=NDJSON)


def export_lines(lines):
    """The export's JSON Lines from the service's lines: each record's text with its `cursor` added.

    Byte for byte `json.dumps({**record, "cursor": cursor})`: the record's
    text is `json.dumps(record)`, and a cursor is base64url (nothing to escape).
    """
    count = 0
    for text, position in lines:
        cursor = encode_cursor(list(position))
        if text is None:
            yield json.dumps({"end_of_export": True, "events": count, "cursor": cursor}) + "\n"
            return
        count += 1
        yield f'{text[:-1]}, "cursor": "{cursor}"}}\n'
