"""Read views: roadmap, momentum, caseload, audit history, the plan as of a past instant, export."""

from __future__ import annotations

import json

from flask import Response
from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import caller, principal, require_role
from api.commands import etag
from api.resources.common import ETAG_HEADER, services, v1_blueprint
from api.schemas.plan import ClientPlanSchema
from api.schemas.views import (
    AsOfDayQuerySchema,
    AsOfQuerySchema,
    CaseloadQuerySchema,
    CaseloadSchema,
    HistoryPageSchema,
    HistoryQuerySchema,
    MomentumQuerySchema,
    MomentumSchema,
    RoadmapSchema,
)
from services.plans import ClientNotFound

blp = v1_blueprint("views", "What coaches and auditors read: roadmap, momentum, caseload, history")


NDJSON_EXPORT = {
    "description": "One JSON object per event, oldest first (JSON Lines): the fields of a history "
    "entry but its description. A client generator that knows no application/x-ndjson can read it "
    "as application/octet-stream (openapi-python-client: `content_type_overrides`).",
    "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
}


def view_of(client_id) -> dict:
    """The client's view, as read with the ownership check (refreshed first when it lagged: read-your-writes)."""
    view = services().views.view(caller(), str(client_id))
    if view is None:
        raise ClientNotFound(f"client {client_id} was not found")
    return view


def _view_if_any(client_id) -> dict:
    """The client's view for naming goals in a history; none for a forgotten client, whose history stays.

    Scope has checked already that the client is within the caller's reach.
    """
    try:
        return view_of(client_id)
    except ClientNotFound:
        return {}


def _today(query) -> object:
    return query["today"] or services().clock().date()


@blp.route("/clients/<uuid:client_id>/roadmap")
class Roadmap(MethodView):
    @blp.arguments(AsOfDayQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, RoadmapSchema)
    @blp.doc(operationId="getRoadmap")
    def get(self, query, client_id):
        """The roadmap: goals by timeframe along their chains, progress, pace, uncovered requirements.

        Each open goal is placed in the timeframe in which it is due, counted from
        `today`: next 3 months (due by today + 3 months, overdue goals too),
        3–12 months, year 2, years 3–4, later; within one, a goal comes after the
        goals it follows. Each goal says how it leads to the destination (the
        requirements it serves), and lists its current re-alignment findings.
        """
        return services().views.roadmap(view_of(client_id), _today(query))


@blp.route("/clients/<uuid:client_id>/momentum")
class Momentum(MethodView):
    @blp.arguments(MomentumQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, MomentumSchema)
    @blp.doc(operationId="getMomentum")
    def get(self, query, client_id):
        """Momentum: wins per week, streaks, habit strength, trend, stalled and overdue goals."""
        return services().views.momentum(view_of(client_id), _today(query), query["stall_days"])


@blp.route("/caseload")
class Caseload(MethodView):
    @blp.arguments(CaseloadQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, CaseloadSchema)
    @blp.doc(operationId="getCaseload")
    def get(self, query):
        """Clients ranked by who needs attention (a coach key sees its own caseload only)."""
        who = principal()
        coach_id = who.coach_id if who.role == "coach" else query["coach_id"]
        today = _today(query)
        items = services().views.caseload(who.organisation_id, today, coach_id, query["stall_days"])
        return {"as_of": today, "items": items}


@blp.route("/clients/<uuid:client_id>/history")
class History(MethodView):
    @blp.arguments(HistoryQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, HistoryPageSchema)
    @blp.doc(operationId="getHistory")
    def get(self, query, client_id):
        """The client's full event history with metadata and a readable change per event, a page at a time."""
        page = services().views.history(
            _view_if_any(client_id),
            str(client_id),
            after_version=query["after"],
            types=tuple(query["type"]),
            since=query["since"],
            until=query["until"],
            limit=query["limit"],
        )
        return {"items": page.entries, "next_after": page.next_after}


@blp.route("/clients/<uuid:client_id>/as-of")
class AsOf(MethodView):
    @blp.arguments(AsOfQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, ClientPlanSchema, headers=ETAG_HEADER)
    @blp.doc(operationId="getPlanAsOf")
    def get(self, query, client_id):
        """The plan in the past: as the service knew it at an instant, or as it was on a day.

        Two questions with two answers. `?known_at=` (recorded time, for audits)
        replays the events recorded by that instant: what the service knew then.
        `?on=` (business time, for coaching) replays every fact that occurred by
        the end of that day on the client's calendar, including facts back-dated
        since. A moment before the client's enrolment is a 404 `not_enrolled_yet`.
        """
        known_at = query["known_at"] or query["at"]
        loaded = services().plans.load(
            principal().organisation_id, str(client_id), as_of=known_at, on=query["on"]
        )
        return loaded, {"ETag": etag(loaded.version)}


@blp.route("/clients/<uuid:client_id>/export")
class Export(MethodView):
    @blp.doc(responses={"200": NDJSON_EXPORT})
    @blp.doc(operationId="exportClientHistory")
    def get(self, client_id):
        """Export the client's whole history as JSON Lines (auditors and admins)."""
        require_role("admin", "auditor")
        lines = (json.dumps(record) + "\n" for record in services().views.export(str(client_id)))
        return Response(lines, mimetype="application/x-ndjson")
