"""Re-alignment on demand: check one client now (or as on a past day), read the current findings, sweep.

The check itself, its policy and the sweep's bookkeeping live in `services.alignment`;
the current findings are read from the client view (`services.client_views`).
"""

from __future__ import annotations

from datetime import date

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.commands import command_context, etag, expected_version, new_id
from api.pagination import page
from api.problems import Problem
from api.resources.common import ETAG_HEADER, command_doc, services, v1_blueprint
from api.resources.views import view_of
from api.schemas.alignment import (
    AlignmentCheckRequestSchema,
    AlignmentCheckSchema,
    CurrentFindingsSchema,
    FindingPageQuerySchema,
    SweepStatusSchema,
)
from services.alignment import checks as alignment
from services.alignment import sweeps as alignment_sweeps

blp = v1_blueprint(
    "alignment", "Re-alignment checks on demand, current findings, organisation sweeps"
)


@blp.route("/clients/<uuid:client_id>/alignment-checks")
class AlignmentChecks(MethodView):
    @blp.arguments(AlignmentCheckRequestSchema)
    @blp.response(201, AlignmentCheckSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="checkAlignment")
    def post(self, body, client_id):
        """Run a re-alignment check of the client now, under the organisation's policy; its findings.

        With `on` (a past day on the client's calendar) the check judges the plan
        as it was at the end of that day, as known now, and is recorded as of
        then: it joins the history without replacing the current findings. A
        day after the client's today is 422; one before enrolment, 404
        `not_enrolled_yet`. Admins, or the client's own coach.
        """
        require_role("admin", "coach")
        report = alignment.check_now(
            services().plans,
            services().engine,
            str(client_id),
            new_id("alignment-check"),
            command_context(),
            on=body["on"],
            expected_version=expected_version(),
        )
        return report, 201, {"ETag": etag(report["version"])}


@blp.route("/clients/<uuid:client_id>/findings")
class Findings(MethodView):
    @blp.arguments(FindingPageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, CurrentFindingsSchema)
    @blp.doc(operationId="listFindings")
    def get(self, query, client_id):
        """The client's current re-alignment findings, each with its goal or requirement and since when.

        Current = found by the latest check (in business time); a finding drops
        out once a later check no longer finds it, and stays in the history.
        `since` is when the first check of the unbroken run that found it ran.
        Most severe first; within a severity, newest first (`since`), then by
        rule, goal and requirement. A `next_cursor` continues the same check's
        list; after a new check it continues in the new check's findings.
        """
        found = services().views.findings(
            view_of(client_id), after=query["after"], limit=query["limit"]
        )
        items, position = found.pop("items"), found.pop("next_position")
        return {**found, **page(items, position)}


@blp.route("/alignment-sweeps")
class Sweeps(MethodView):
    @blp.response(202, SweepStatusSchema)
    @blp.alt_response(
        200,
        schema=SweepStatusSchema,
        description="Today's sweep was asked for already: its status, nothing queued again.",
    )
    @blp.doc(operationId="startAlignmentSweep")
    def post(self):
        """Check every client of the organisation in the background (admins), once per day (UTC).

        The checks are queued through the outbox to the workers; poll
        `GET /v1/alignment-sweeps/{day}` for how many were queued, handed on and
        failed, and read each client's findings as their checks are recorded.
        """
        caller = require_role("admin")
        services().views.refresh_all()  # a client enrolled a moment ago is swept too
        status, started = alignment_sweeps.start_sweep(
            services().engine, caller.organisation_id, services().clock().date(), caller.actor
        )
        return _sweep(status), 202 if started else 200


@blp.route("/alignment-sweeps/<string:day>")
class Sweep(MethodView):
    @blp.response(200, SweepStatusSchema)
    @blp.doc(operationId="getAlignmentSweep")
    def get(self, day):
        """The status of the organisation's sweep of a day (YYYY-MM-DD): queued, relayed, waiting, failed."""
        require_role("admin")
        try:
            swept = date.fromisoformat(day)
        except ValueError:
            raise Problem(
                404, "not_found", f"no alignment sweep of {day!r}: name a day as YYYY-MM-DD"
            ) from None
        status = alignment_sweeps.sweep_status(
            services().engine, principal().organisation_id, swept
        )
        if status is None:
            raise Problem(
                404, "not_found", f"the organisation's alignment sweep of {day} was not found"
            )
        return _sweep(status)


def _sweep(status: alignment_sweeps.SweepStatus) -> dict:
    return {**status.__dict__, "waiting": status.waiting}
