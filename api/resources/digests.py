"""Review digests and their batch runs, and the webhooks that announce them.

Jobs that failed past their retries are an operator's matter (they span
organisations): see `careerplan jobs`."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from marshmallow import RAISE

import sqlalchemy as sa

from api.guard import principal, require_role
from api.problems import PROBLEM_JSON, Problem, ProblemSchema
from api.resources.common import services, v1_blueprint
from api.schemas.digests import (
    DeliverySchema, DigestFormatSchema, PolicySchema, DigestPageSchema, DigestQuerySchema, DigestSchema,
    RegisteredWebhookSchema, RunStatusSchema, StartRunSchema, WebhookInSchema, WebhookSchema,
)
from projections.tables import LIVE
from services.digests import runs as digest_runs
from services import policies
from services import webhooks
from services.digests.tables import digests
from services.webhooks.tables import webhook_deliveries, webhook_endpoints

blp = v1_blueprint("digests", "Review digests, digest runs and webhooks")
_SUMMARY = (digests.c.digest_id, digests.c.subject, digests.c.kind, digests.c.period_key, digests.c.created_at,
            digests.c.provisional)


def _not_found(what: str) -> Problem:
    return Problem(404, "not_found", f"{what} was not found")


def _status(run_id: str) -> dict:
    with services().engine.connect() as conn:
        status = digest_runs.run_status(conn, run_id, principal().organisation_id)
    if status is None:
        raise _not_found(f"digest run {run_id}")
    return {**status.__dict__, "pending": status.pending}


def _visible_subjects(conn) -> list[str] | None:
    """The subjects a coach key may read (its clients and itself); None for admins and auditors."""
    caller = principal()
    if caller.role != "coach":
        return None
    views = LIVE.client_views
    clients = conn.execute(sa.select(views.c.client_id).where(
        views.c.organisation_id == caller.organisation_id, views.c.coach_id == caller.coach_id)).scalars()
    return [f"client:{c}" for c in clients] + [f"coach:{caller.coach_id}"]


@blp.route("/digest-runs")
class Runs(MethodView):
    @blp.arguments(StartRunSchema)
    @blp.response(202, RunStatusSchema)
    @blp.alt_response(409, schema=ProblemSchema, content_type=PROBLEM_JSON,
                      description="period_not_ended: the period has not ended yet in the organisation's time "
                                  "zone; the detail says from which day it can run")
    def post(self, body):
        """Start the organisation's digest run for the last complete period (or find the one started).

        A period ends at midnight in the organisation's time zone (see /v1/policy). A period that has not
        ended is refused with 409 `period_not_ended`, unless `provisional: true`: then its digests are
        marked provisional and replaced when the period's final run happens."""
        caller = require_role("admin")
        svc = services()
        svc.projections.catch_up()
        run_id = digest_runs.start_run(svc.engine, caller.organisation_id, body["kind"], svc.clock(),
                                       today=body["today"], provisional=body["provisional"])
        return _status(run_id)


@blp.route("/digest-runs/<uuid:run_id>")
class Run(MethodView):
    @blp.response(200, RunStatusSchema)
    def get(self, run_id):
        """A run's progress: total, done, failed, pending, started and finished."""
        return _status(str(run_id))


@blp.route("/digests")
class Digests(MethodView):
    @blp.arguments(DigestQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, DigestPageSchema)
    def get(self, query):
        """Stored digests, newest period first within id order, a page at a time."""
        select = sa.select(*_SUMMARY).where(digests.c.organisation_id == principal().organisation_id)
        if query["client_id"]:
            select = select.where(digests.c.subject == f"client:{query['client_id']}")
        for name in ("kind", "period_key"):
            if query[name]:
                select = select.where(digests.c[name] == query[name])
        if query["after"]:
            select = select.where(digests.c.digest_id > query["after"])
        with services().engine.connect() as conn:
            visible = _visible_subjects(conn)
            if visible is not None:
                select = select.where(digests.c.subject.in_(visible))
            rows = conn.execute(select.order_by(digests.c.digest_id).limit(query["limit"] + 1)).mappings().all()
        more = len(rows) > query["limit"]
        items = [dict(r) for r in rows[: query["limit"]]]
        return {"items": items, "next_cursor": items[-1]["digest_id"] if more else None}


@blp.route("/digests/<uuid:digest_id>")
class Digest(MethodView):
    @blp.arguments(DigestFormatSchema, location="query", unknown=RAISE)
    @blp.response(200, DigestSchema)
    @blp.alt_response(200, content_type="text/html", description="format=html: the page a coach opens")
    def get(self, query, digest_id):
        """One digest as JSON, or rendered (format=markdown or format=html)."""
        with services().engine.connect() as conn:
            row = conn.execute(sa.select(digests).where(
                digests.c.digest_id == str(digest_id), digests.c.organisation_id == principal().organisation_id
            )).mappings().first()
            visible = _visible_subjects(conn)
        if row is None or (visible is not None and row["subject"] not in visible):
            raise _not_found(f"digest {digest_id}")
        if query["format"] == "html":
            return Response(row["html"], mimetype="text/html")
        if query["format"] == "markdown":
            return Response(row["markdown"], mimetype="text/markdown")
        return dict(row)


@blp.route("/webhooks")
class Webhooks(MethodView):
    @blp.response(200, WebhookSchema(many=True))
    def get(self):
        """The organisation's webhook endpoints."""
        require_role("admin")
        with services().engine.connect() as conn:
            return conn.execute(sa.select(webhook_endpoints).where(
                webhook_endpoints.c.organisation_id == principal().organisation_id,
                webhook_endpoints.c.disabled_at.is_(None))).mappings().all()

    @blp.arguments(WebhookInSchema)
    @blp.response(201, RegisteredWebhookSchema)
    def post(self, body):
        """Register an HTTPS endpoint for digest-ready and finding notices; its secret is shown once."""
        caller = require_role("admin")
        with services().engine.begin() as conn:
            endpoint_id, secret = webhooks.register(conn, caller.organisation_id, body["url"], body["events"])
            row = conn.execute(sa.select(webhook_endpoints).where(
                webhook_endpoints.c.endpoint_id == endpoint_id)).mappings().one()
        return {**row, "secret": secret}


@blp.route("/webhooks/<uuid:endpoint_id>/deliveries")
class Deliveries(MethodView):
    @blp.response(200, DeliverySchema(many=True))
    def get(self, endpoint_id):
        """Deliveries to one endpoint, with their attempt counts."""
        caller = require_role("admin")
        with services().engine.connect() as conn:
            owned = conn.execute(sa.select(webhook_endpoints.c.endpoint_id).where(
                webhook_endpoints.c.endpoint_id == str(endpoint_id),
                webhook_endpoints.c.organisation_id == caller.organisation_id)).first()
            if owned is None:
                raise _not_found(f"webhook endpoint {endpoint_id}")
            return conn.execute(sa.select(webhook_deliveries).where(
                webhook_deliveries.c.endpoint_id == str(endpoint_id)
            ).order_by(webhook_deliveries.c.created_at).limit(500)).mappings().all()


@blp.route("/policy")
class OrganisationPolicy(MethodView):
    @blp.response(200, PolicySchema)
    def get(self):
        """The organisation's re-alignment thresholds, digest cadence and time zone."""
        with services().engine.connect() as conn:
            return _policy(policies.policy_of(conn, principal().organisation_id))

    @blp.arguments(PolicySchema)
    @blp.response(200, PolicySchema)
    def put(self, body):
        """Set the thresholds the re-alignment checks judge by, which digest runs are made, and the time zone
        whose midnight ends a digest period."""
        caller = require_role("admin")
        return _policy(policies.set_policy(services().engine, caller.organisation_id, body["alignment"],
                                           body["digest_kinds"], body["timezone"]))


def _policy(policy: policies.Policy) -> dict:
    return {"alignment": policy.alignment.to_dict(), "digest_kinds": list(policy.digest_kinds),
            "timezone": policy.timezone}
