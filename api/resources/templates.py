"""Programme templates: the organisation's versioned paths to a role, and applying one to a client.

Admins create, revise and retire templates; every key reads them. A coach
(or admin) asks for a template dated for a client (`proposeTemplate`: nothing
is written) and accepts it whole or in part (`acceptTemplate`: one plan
command, with If-Match and Idempotency-Key like any other).
"""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.commands import command_context, etag, expected_version, result_body
from api.pagination import page
from api.resources.common import ETAG_HEADER, command_doc, services, v1_blueprint
from api.schemas.common import NoBodySchema
from api.schemas.templates import (
    AcceptTemplateSchema,
    NewTemplateSchema,
    ProposeTemplateSchema,
    ReviseTemplateSchema,
    RevisionSchema,
    TemplateAppliedSchema,
    TemplateListQuerySchema,
    TemplatePageSchema,
    TemplateProposalSchema,
    TemplateSchema,
    TemplateVersionSchema,
)

blp = v1_blueprint(
    "templates",
    "Programme templates: the organisation's versioned paths to a destination role, applied to clients",
)
LOCATION = {"Location": {"schema": {"type": "string"}}}


@blp.route("/templates")
class Templates(MethodView):
    @blp.doc(operationId="listTemplates")
    @blp.arguments(TemplateListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, TemplatePageSchema)
    def get(self, query):
        """List the organisation's templates by id, a page at a time (current version of each)."""
        found = services().templates.page(
            principal().organisation_id,
            status=query["status"],
            after=query["after"],
            limit=query["limit"],
        )
        return page(found.items, found.next_after)

    @blp.doc(operationId="createTemplate")
    @blp.arguments(NewTemplateSchema)
    @blp.response(201, TemplateSchema, headers=LOCATION)
    def post(self, body):
        """Create a template at version 1 (admins): a destination, its 5–10 requirements and goal chains."""
        caller = require_role("admin")
        template = services().templates.create(
            caller.organisation_id, body["name"], body["body"], caller.actor, body["note"]
        )
        return template, 201


@blp.route("/templates/<uuid:template_id>")
class Template(MethodView):
    @blp.doc(operationId="getTemplate")
    @blp.response(200, TemplateSchema)
    def get(self, template_id):
        """One template: its status, current version and the history of its versions."""
        return services().templates.get(principal().organisation_id, str(template_id))


@blp.route("/templates/<uuid:template_id>/versions/<int:version>")
class TemplateVersion(MethodView):
    @blp.doc(operationId="getTemplateVersion")
    @blp.response(200, TemplateVersionSchema)
    def get(self, template_id, version):
        """One version of a template, with its body as written then."""
        return services().templates.version(principal().organisation_id, str(template_id), version)


@blp.route("/templates/<uuid:template_id>/versions")
class TemplateVersions(MethodView):
    @blp.doc(operationId="reviseTemplate")
    @blp.arguments(ReviseTemplateSchema)
    @blp.response(201, RevisionSchema, headers=LOCATION)
    def post(self, body, template_id):
        """Revise a template (admins): the next version, and the clients whose plans came from an earlier one.

        Earlier versions are kept. Each affected client is listed with the
        version their plan came from and what the new version changes against
        it (requirements and goals added, removed, changed); their plans are
        not touched: a coach decides what to change.
        """
        caller = require_role("admin")
        revision = services().templates.revise(
            caller.organisation_id, str(template_id), body["body"], caller.actor, body["note"]
        )
        return revision, 201


@blp.route("/templates/<uuid:template_id>/retire")
class RetireTemplate(MethodView):
    @blp.doc(operationId="retireTemplate")
    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, TemplateSchema)
    def post(self, _body, template_id):
        """Retire a template (admins): its versions stay readable; it is no longer revised or applied."""
        caller = require_role("admin")
        return services().templates.retire(caller.organisation_id, str(template_id))


@blp.route("/clients/<uuid:client_id>/apply-template")
class ProposeTemplate(MethodView):
    @blp.doc(operationId="proposeTemplate")
    @blp.arguments(ProposeTemplateSchema)
    @blp.response(200, TemplateProposalSchema)
    def post(self, body, client_id):
        """Propose a template for the client: requirements and goal chain dated from their start; writes nothing.

        Each goal is dated from the client's start (their enrolment day, or
        today if later), within the two-year rule, with its first 30–60 minute
        milestones. Ids are fixed by client, template, version and key, so
        the same ids come back on every proposal and in the accepted plan.
        Accept it whole or in part with `acceptTemplate`.
        """
        found = services().templates.propose(
            principal().organisation_id, str(client_id), str(body["template_id"]), body["version"]
        )
        return proposal_answer(found)


@blp.route("/clients/<uuid:client_id>/apply-template/accept")
class AcceptTemplate(MethodView):
    @blp.arguments(AcceptTemplateSchema)
    @blp.response(200, TemplateAppliedSchema, headers=ETAG_HEADER)
    @command_doc
    @blp.doc(operationId="acceptTemplate")
    def post(self, body, client_id):
        """Accept a template for the client, whole or in part: plan events, with the template as provenance.

        `requirements` and `goals` name the keys accepted (left out: all the
        plan does not hold yet). A goal whose requirement is neither accepted
        nor in the plan is refused (422, `template_goal_without_requirement`);
        an accepted goal loses its link to a goal left out. All or nothing:
        an 11th requirement, say, refuses the whole acceptance and writes nothing.
        """
        result = services().templates.apply(
            str(client_id),
            str(body["template_id"]),
            command_context(),
            version=body["version"],
            requirement_keys=_tuple(body["requirements"]),
            goal_keys=_tuple(body["goals"]),
            expected_version=expected_version(),
        )
        applied = next((e for e in result.events if e.type == "TemplateApplied"), None)
        data = applied.data if applied is not None else {}
        answer = result_body(result, {})
        answer.update(
            template_id=data.get("template_id", str(body["template_id"])),
            template_version=data.get("template_version"),
            requirement_ids=data.get("requirement_ids", []),
            goal_ids=data.get("goal_ids", []),
        )
        return answer, 200, {"ETag": etag(result.version)}


def _tuple(values) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def proposal_answer(found) -> dict:
    """The proposal as the API answers it: keys and ids side by side, dates as the plan will hold them."""
    p = found.proposal
    requirement_keys = {r.requirement_id: r.key for r in p.requirements}
    goal_keys = {g.goal_id: g.key for g in p.goals}
    d = p.destination
    return {
        "client_id": found.client_id,
        "template_id": found.template.template_id,
        "template_name": found.template.name,
        "version": found.version,
        "start_on": p.start_on,
        "destination": None
        if d is None
        else {
            "statement": d.statement,
            "role": d.role,
            "industry": d.industry,
            "impact": d.impact,
            "horizon": d.horizon,
        },
        "requirements": [r.__dict__ for r in p.requirements],
        "goals": [
            {
                "key": g.key,
                "goal_id": g.goal_id,
                "requirement_key": g.requirement_key,
                "statement": g.terms.statement,
                "category": g.terms.category,
                "measure": g.terms.measure.__dict__,
                "confidence": g.terms.confidence,
                "serves": [
                    {
                        "requirement_key": requirement_keys[c.requirement_id],
                        "requirement_id": c.requirement_id,
                        "how_it_leads": c.how_it_leads,
                    }
                    for c in g.terms.serves
                ],
                "follows": [{"goal_key": goal_keys[f], "goal_id": f} for f in g.terms.follows],
                "start_on": g.terms.start_on,
                "due_on": g.terms.due_on,
                "milestones": [m.__dict__ for m in g.milestones],
                "in_plan": g.in_plan,
            }
            for g in p.goals
        ],
    }
