"""Calendars: a private iCalendar feed per coach and per client, issued (or rotated) and fetched.

Issuing answers the feed's URL once; issuing again rotates it (the old URL
is a 404 at once). The feed itself is fetched by calendar apps that send no
API key: its token is the credential, so `GET /v1/calendars/{token}.ics` is
the one /v1 operation without a bearer key (`api.authentication.FEED_RULE`),
still rate-limited per address, and any token that opens nothing is a plain
404.
"""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from api.authentication import FEED_RULE, require_role
from api.problems import Problem
from api.resources.common import services, v1_blueprint
from api.schemas.calendars import ICS_TEXT, IssuedCalendarSchema
from api.schemas.common import NoBodySchema

blp = v1_blueprint(
    "calendars", "Calendar feeds: each coach's and client's goal due dates and next review (.ics)"
)
LOCATION = {"Location": {"schema": {"type": "string"}}}
ICS = "text/calendar; charset=utf-8"


def _issued(found, location: str):
    return found, 201, {"Location": location}


@blp.route("/clients/<uuid:client_id>/calendar")
class ClientCalendar(MethodView):
    @blp.doc(operationId="issueClientCalendar")
    @blp.arguments(NoBodySchema, required=False)
    @blp.response(201, IssuedCalendarSchema, headers=LOCATION)
    def post(self, _body, client_id):
        """Issue the client's private calendar feed URL (admins, or the client's coach); again rotates it.

        The answer is the only time the URL is shown; the URL issued before stops working at once.
        """
        caller = require_role("admin", "coach")
        found = services().calendars.issue(caller.organisation_id, "client", str(client_id))
        return _issued(found, found.url)


@blp.route("/coaches/<coach_id>/calendar")
class CoachCalendar(MethodView):
    @blp.doc(operationId="issueCoachCalendar")
    @blp.arguments(NoBodySchema, required=False)
    @blp.response(201, IssuedCalendarSchema, headers=LOCATION)
    def post(self, _body, coach_id):
        """Issue a coach's private calendar feed URL (admins, or that coach's own key); again rotates it.

        The feed holds every active client of the coach, each entry prefixed with the client's name.
        """
        caller = require_role("admin", "coach")
        found = services().calendars.issue(caller.organisation_id, "coach", coach_id)
        return _issued(found, found.url)


@blp.route(FEED_RULE.removeprefix("/v1"))
class CalendarFeed(MethodView):
    @blp.doc(
        operationId="getCalendarFeed",
        security=[],
        responses={
            "200": {
                "description": "The feed (RFC 5545): open goals' due dates, completed milestones, "
                "the next review",
                "content": {"text/calendar": {"schema": ICS_TEXT}},
            }
        },
    )
    def get(self, token):
        """A private calendar feed, for calendar apps to subscribe to: no API key, the token is the key.

        An unknown or rotated token is 404. Every entry is an all-day event with a
        stable UID, so a subscriber moves an entry whose date changed.
        """
        body = services().calendars.feed(token)
        if body is None:
            raise Problem(404, "not_found", "no calendar feed has this address")
        return Response(body, content_type=ICS, headers={"Cache-Control": "private, no-store"})
