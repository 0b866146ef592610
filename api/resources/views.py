"""Read views: roadmap, momentum, caseload, audit history, the plan as of a past instant, export."""

from __future__ import annotations

import json

from flask import Response
from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import caller, principal, require_role
from api.commands import etag
from api.pagination import page
from api.resources.common import ETAG_HEADER, services, v1_blueprint
from api.schemas.plan import ClientPlanSchema
from api.schemas.views import (
    AsOfQuerySchema,
    CaseloadQuerySchema,
    CaseloadSchema,
    HistoryPageSchema,
    HistoryQuerySchema,
    MomentumQuerySchema,
    MomentumSchema,
    RoadmapQuerySchema,
    RoadmapSchema,
)
from services.plans import ClientNotFound

CSV_TABLE = {
    "type": "string",
    "description": (
        "format=csv: the seed's table (RFC 4180, a header row), one row per goal, open goals by timeframe "
        "then achieved ones: timeframe, goal, how it leads, requirements, due on, status, goal id"
    ),
}

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
    @blp.arguments(RoadmapQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, RoadmapSchema)
    @blp.doc(operationId="getRoadmap")
    @blp.doc(
        responses={
            "200": {
                "description": "The roadmap: JSON, or with format=csv the seed's table as CSV",
                "content": {
                    "application/json": {"schema": RoadmapSchema},
                    "text/csv": {"schema": CSV_TABLE},
                },
            }
        }
    )
    def get(self, query, client_id):
        """The roadmap: goals by timeframe along their chains, progress, pace, uncovered requirements.

        Each open goal is placed in the timeframe in which it is due, counted from
        `today`: next 3 months (due by today + 3 months, overdue goals too),
        3–12 months, year 2, years 3–4, later; within one, a goal comes after the
        goals it follows. Each goal says how it leads to the destination (the
        requirements it serves), and lists its current re-alignment findings.
        With `format=csv`, the same roadmap as the seed's table (`text/csv`).
        """
        if query["format"] == "csv":
            table = services().views.roadmap_csv(view_of(client_id), _today(query))
            return Response(table, mimetype="text/csv")
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
        """Clients ranked by who needs attention, a page at a time (a coach key sees its own caseload only).

        Highest attention score first, ties by client id. The scores are
        computed for `today` (default: today, UTC) and `stall_days` when the
        page is read, so a `next_cursor` holds for the same `today`,
        `stall_days` and `coach_id` only: pass them again with it (and pass
        `today` explicitly, so a walk through the pages does not cross
        midnight). Scores change as coaching happens; a client whose score
        changed between two pages may be shown twice or not at all.
        """
        who = principal()
        coach_id = who.coach_id if who.role == "coach" else query["coach_id"]
        today = _today(query)
        items, position = services().views.caseload(
            who.organisation_id,
            today,
            coach_id,
            query["stall_days"],
            after=query["after"],
            limit=query["limit"],
        )
        return {"as_of": today, **page(items, position)}


@blp.route("/clients/<uuid:client_id>/history")
class History(MethodView):
    @blp.arguments(HistoryQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, HistoryPageSchema)
    @blp.doc(operationId="getHistory")
    def get(self, query, client_id):
        """The client's full event history with metadata and a readable change per event, a page at a time.

        Newest first (`order=oldest`: in version order, as the hash chain runs;
        keep the same `order` while following `next_cursor`). Narrow it by event `type`, by recorded
        time (`since`, `until`), and to one goal (`goal_id`) or requirement
        (`requirement_id`): see each parameter for which events concern them.
        Every filter is applied by the database over the client's stream: a
        page of a long history reads what it shows (with `goal_id` or
        `requirement_id`, the stream's few goal and review definitions first),
        never the whole stream.
        """
        found = services().views.history(
            _view_if_any(client_id),
            str(client_id),
            after_version=query["after"] or 0,
            types=tuple(query["type"]),
            since=query["since"],
            until=query["until"],
            goal_id=query["goal_id"],
            requirement_id=query["requirement_id"],
            limit=query["limit"],
            newest_first=query["order"] == "newest",
        )
        return page(found.entries, found.next_version)


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
