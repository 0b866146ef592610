"""Review digests, their batch runs and the organisation's policy (webhooks: `api.resources.webhooks`).

Jobs that failed past their retries are an operator's matter (they span
organisations): see `careerplan jobs`."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.pagination import page
from api.problems import PROBLEM_JSON, Problem, ProblemSchema
from api.resources.common import ALTERNATIVE_CONTENT, services, v1_blueprint
from api.schemas.digests import (
    DigestFormatSchema,
    DigestPageSchema,
    DigestQuerySchema,
    DigestSchema,
    PolicySchema,
    RunPageQuerySchema,
    RunPageSchema,
    RunStatusSchema,
    StartRunSchema,
)
from services import policies
from services.digests import library, run_pages
from services.digests import runs as digest_runs

blp = v1_blueprint("digests", "Review digests, digest runs and the organisation's policy")


RENDERED_DIGEST = {  # beside the JSON: format=html is the page a coach opens
    "text/html": {"schema": {"type": "string", "description": "The rendered page"}},
    "text/markdown": {"schema": {"type": "string", "description": "The digest in Markdown"}},
}


def _not_found(what: str) -> Problem:
    return Problem(404, "not_found", f"{what} was not found")


def _status(run_id: str) -> dict:
    status = digest_runs.status_of(services().engine, run_id, principal().organisation_id)
    if status is None:
        raise _not_found(f"digest run {run_id}")
    return _run(status)


def _run(status: digest_runs.RunStatus) -> dict:
    return {**status.__dict__, "pending": status.pending}


@blp.route("/digest-runs")
class Runs(MethodView):
    @blp.arguments(RunPageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RunPageSchema)
    @blp.doc(operationId="listDigestRuns")
    def get(self, query):
        """The organisation's digest runs with their progress, newest first (admins and auditors)."""
        caller = require_role("admin", "auditor")
        runs, position = run_pages.runs_page(
            services().engine, caller.organisation_id, after=query["after"], limit=query["limit"]
        )
        return page([_run(status) for status in runs], position)

    @blp.arguments(StartRunSchema)
    @blp.response(202, RunStatusSchema)
    @blp.alt_response(
        409,
        schema=ProblemSchema,
        content_type=PROBLEM_JSON,
        description="period_not_ended: the period has not ended yet in the organisation's time "
        "zone; the detail says from which day it can run",
    )
    @blp.doc(operationId="startDigestRun")
    def post(self, body):
        """Start the organisation's digest run for the last complete period (or find the one started).

        A period ends at midnight in the organisation's time zone (see /v1/policy). A period that has not
        ended is refused with 409 `period_not_ended`, unless `provisional: true`: then its digests are
        marked provisional and replaced when the period's final run happens."""
        caller = require_role("admin")
        svc = services()
        svc.projections.catch_up()
        run_id = digest_runs.start_run(
            svc.engine,
            caller.organisation_id,
            body["kind"],
            svc.clock(),
            today=body["today"],
            provisional=body["provisional"],
        )
        return _status(run_id)


@blp.route("/digest-runs/<uuid:run_id>")
class Run(MethodView):
    @blp.response(200, RunStatusSchema)
    @blp.doc(operationId="getDigestRun")
    def get(self, run_id):
        """A run's progress: total, done, failed, pending, started and finished."""
        return _status(str(run_id))


@blp.route("/digests")
class Digests(MethodView):
    @blp.arguments(DigestQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, DigestPageSchema)
    @blp.doc(operationId="listDigests")
    def get(self, query):
        """Stored digests, newest first, a page at a time (a coach key: its clients' and its own)."""
        client_id = query["client_id"]
        items, position = library.digest_page(
            services().engine,
            principal(),
            client_id=str(client_id) if client_id else None,
            kind=query["kind"],
            subject_kind=query["subject_kind"],
            period_key=query["period_key"],
            after=query["after"],
            limit=query["limit"],
        )
        return page(items, position)


@blp.route("/digests/<uuid:digest_id>")
class Digest(MethodView):
    @blp.arguments(DigestFormatSchema, location="query", unknown=RAISE)
    @blp.response(200, DigestSchema)
    @blp.doc(**{ALTERNATIVE_CONTENT: {"200": RENDERED_DIGEST}})
    @blp.doc(operationId="getDigest")
    def get(self, query, digest_id):
        """One digest as JSON, or rendered (format=markdown or format=html).

        A generated client reads this operation as JSON: it fetches the rendered forms
        with `getDigestHtml` and `getDigestMarkdown`, which answer only text.
        """
        row = _digest(digest_id)
        if query["format"] == "html":
            return Response(row["html"], mimetype="text/html")
        if query["format"] == "markdown":
            return Response(row["markdown"], mimetype="text/markdown")
        return row


@blp.route("/digests/<uuid:digest_id>/html")
class DigestHtml(MethodView):
    @blp.response(200, content_type="text/html")
    @blp.doc(**{ALTERNATIVE_CONTENT: {"200": {"text/html": RENDERED_DIGEST["text/html"]}}})
    @blp.doc(operationId="getDigestHtml")
    def get(self, digest_id):
        """The digest as the page a coach opens (HTML)."""
        return Response(_digest(digest_id)["html"], mimetype="text/html")


@blp.route("/digests/<uuid:digest_id>/markdown")
class DigestMarkdown(MethodView):
    @blp.response(200, content_type="text/markdown")
    @blp.doc(**{ALTERNATIVE_CONTENT: {"200": {"text/markdown": RENDERED_DIGEST["text/markdown"]}}})
    @blp.doc(operationId="getDigestMarkdown")
    def get(self, digest_id):
        """The digest as Markdown, for an e-mail or a note."""
        return Response(_digest(digest_id)["markdown"], mimetype="text/markdown")


def _digest(digest_id) -> dict:
    """The stored digest within the caller's reach (404 otherwise)."""
    row = library.digest_of(services().engine, principal(), str(digest_id))
    if row is None:
        raise _not_found(f"digest {digest_id}")
    return row


@blp.route("/policy")
class OrganisationPolicy(MethodView):
    @blp.response(200, PolicySchema)
    @blp.doc(operationId="getPolicy")
    def get(self):
        """The organisation's re-alignment thresholds, digest cadence, time zone and nudge settings."""
        return _policy(policies.read_policy(services().engine, principal().organisation_id))

    @blp.arguments(PolicySchema)
    @blp.response(200, PolicySchema)
    @blp.doc(operationId="setPolicy")
    def put(self, body):
        """Set the thresholds the re-alignment checks judge by, which digest runs are made, the time zone
        whose midnight ends a digest period, and when quiet clients are nudged (`nudges`, off unless set)."""
        caller = require_role("admin")
        return _policy(
            policies.set_policy(
                services().engine,
                caller.organisation_id,
                body["alignment"],
                body["digest_kinds"],
                body["timezone"],
                body["nudges"],
            )
        )


def _policy(policy: policies.Policy) -> dict:
    return {
        "alignment": policy.alignment.to_dict(),
        "digest_kinds": list(policy.digest_kinds),
        "timezone": policy.timezone,
        "nudges": policy.nudges.to_dict(),
    }
