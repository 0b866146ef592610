"""Programme templates in and out: a template's body, its versions, a revision, a dated proposal."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.pagination import page_query, page_schema
from api.schemas.common import (
    LONG_TEXT,
    NOTE_TEXT,
    SHORT_TEXT,
    CommandResultSchema,
    InputSchema,
    instant,
)
from domain.values import GOAL_CATEGORIES, REQUIREMENT_KINDS

KEY = validate.Regexp(
    r"^[a-z0-9][a-z0-9-]{0,59}$", error="A key is 1–60 lower-case letters, digits and hyphens."
)
WHOLE = {"strict": True}


def key(**kwargs) -> fields.String:
    """A stable key of a requirement, goal or milestone within a template ("system-design")."""
    return fields.String(validate=KEY, **kwargs)


def keys(description: str, **kwargs) -> fields.List:
    return fields.List(
        key(), validate=validate.Length(max=20), metadata={"description": description}, **kwargs
    )


class TemplateMeasureSchema(InputSchema):
    """A metric from baseline to target, or (no baseline, no target) done / not done."""

    name = fields.String(required=True, validate=SHORT_TEXT)
    baseline = fields.Float(load_default=None, allow_none=True)
    target = fields.Float(load_default=None, allow_none=True)
    unit = fields.String(load_default="", validate=validate.Length(max=50))


class MilestoneSuggestionSchema(InputSchema):
    """A first micro-milestone: a step of 30–60 minutes."""

    key = key(required=True)
    title = fields.String(required=True, validate=SHORT_TEXT)
    estimate_minutes = fields.Integer(
        required=True, **WHOLE, metadata={"description": "30 to 60 minutes"}
    )


class GoalSuggestionSchema(InputSchema):
    """A suggested SMART goal of a requirement's chain, timed from the client's start."""

    key = key(required=True)
    statement = fields.String(required=True, validate=LONG_TEXT)
    category = fields.String(required=True, validate=validate.OneOf(GOAL_CATEGORIES))
    measure = fields.Nested(TemplateMeasureSchema, required=True)
    confidence = fields.Integer(required=True, **WHOLE, metadata={"description": "1 to 10"})
    how_it_leads = fields.String(required=True, validate=LONG_TEXT)
    duration_months = fields.Integer(
        required=True,
        **WHOLE,
        metadata={"description": "Typical duration: 1 to 24 months (the two-year rule)"},
    )
    start_month = fields.Integer(
        load_default=None,
        allow_none=True,
        **WHOLE,
        metadata={
            "description": "Months after the client's start; null starts it when the goals it follows are due"
        },
    )
    follows = keys(
        "Goal keys it follows; null (the default) follows the previous goal of this requirement's chain",
        load_default=None,
        allow_none=True,
    )
    also_serves = keys(
        "Other requirement keys it serves, with the same how_it_leads", load_default=list
    )
    milestones = fields.List(
        fields.Nested(MilestoneSuggestionSchema),
        validate=validate.Length(max=10),
        load_default=list,
    )


class RequirementSuggestionSchema(InputSchema):
    """One of the role's requirements, with its chain of suggested goals."""

    key = key(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(REQUIREMENT_KINDS))
    description = fields.String(required=True, validate=LONG_TEXT)
    goals = fields.List(
        fields.Nested(GoalSuggestionSchema), validate=validate.Length(max=10), load_default=list
    )


class DestinationSuggestionSchema(InputSchema):
    """The destination a template suggests; its horizon counts years from the client's start."""

    statement = fields.String(required=True, validate=LONG_TEXT)
    role = fields.String(required=True, validate=SHORT_TEXT)
    industry = fields.String(required=True, validate=SHORT_TEXT)
    impact = fields.String(required=True, validate=LONG_TEXT)
    horizon_years = fields.Integer(required=True, **WHOLE, metadata={"description": "1 to 20"})


class TemplateBodySchema(InputSchema):
    """What a template version suggests: a destination and the role's 5–10 requirements."""

    destination = fields.Nested(DestinationSuggestionSchema, required=True)
    requirements = fields.List(
        fields.Nested(RequirementSuggestionSchema),
        required=True,
        validate=validate.Length(max=20),
        metadata={"description": "The role's 5–10 requirements, each with its chain of goals"},
    )


class NewTemplateSchema(InputSchema):
    name = fields.String(required=True, validate=SHORT_TEXT)
    body = fields.Nested(TemplateBodySchema, required=True)
    note = fields.String(load_default="", validate=NOTE_TEXT)


class ReviseTemplateSchema(InputSchema):
    body = fields.Nested(TemplateBodySchema, required=True)
    note = fields.String(
        load_default="", validate=NOTE_TEXT, metadata={"description": "Why it changed"}
    )


class VersionSummarySchema(Schema):
    version = fields.Integer(required=True)
    created_at = instant(required=True)
    actor = fields.String(required=True)
    note = fields.String(required=True)


class TemplateVersionSchema(VersionSummarySchema):
    template_id = fields.String(required=True)
    body = fields.Nested(TemplateBodySchema, required=True)


class TemplateSummarySchema(Schema):
    """A template as a list shows it: what it is and which version is current."""

    template_id = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "retired")))
    current_version = fields.Integer(required=True)
    created_at = instant(required=True)
    retired_at = instant(required=True, allow_none=True)


class TemplateSchema(TemplateSummarySchema):
    """A template with its current version's body and the history of its versions."""

    body = fields.Nested(
        TemplateBodySchema, required=True, metadata={"description": "The current version's body"}
    )
    versions = fields.List(
        fields.Nested(VersionSummarySchema),
        required=True,
        metadata={"description": "Every version, oldest first"},
    )


TemplateListQuerySchema = page_query(
    "TemplateListQuerySchema",
    status=fields.String(load_default=None, validate=validate.OneOf(("active", "retired"))),
)
TemplatePageSchema = page_schema("TemplatePageSchema", TemplateSummarySchema)


class ChangedSchema(Schema):
    key = fields.String(required=True)
    fields_ = fields.List(fields.String(), required=True, data_key="fields", attribute="fields")


class TemplateDiffSchema(Schema):
    """What a version changes against an earlier one, by key."""

    destination_fields = fields.List(fields.String(), required=True)
    requirements_added = fields.List(fields.String(), required=True)
    requirements_removed = fields.List(fields.String(), required=True)
    requirements_changed = fields.List(fields.Nested(ChangedSchema), required=True)
    goals_added = fields.List(fields.String(), required=True)
    goals_removed = fields.List(fields.String(), required=True)
    goals_changed = fields.List(fields.Nested(ChangedSchema), required=True)


class AffectedClientSchema(Schema):
    client_id = fields.String(required=True)
    applied_version = fields.Integer(required=True)
    applied_at = instant(required=True)
    diff = fields.Nested(TemplateDiffSchema, required=True)


class RevisionSchema(Schema):
    """The new version, and the clients whose plans came from an earlier one with what differs."""

    template = fields.Nested(TemplateSchema, required=True)
    version = fields.Nested(TemplateVersionSchema, required=True)
    affected_clients = fields.List(fields.Nested(AffectedClientSchema), required=True)


class ProposeTemplateSchema(InputSchema):
    template_id = fields.UUID(required=True)
    version = fields.Integer(
        load_default=None,
        allow_none=True,
        **WHOLE,
        validate=validate.Range(1, 1_000_000),
        metadata={"description": "The version to apply; the current one when left out"},
    )


class AcceptTemplateSchema(ProposeTemplateSchema):
    requirements = keys(
        "Requirement keys accepted; left out: every one the plan does not hold yet",
        load_default=None,
        allow_none=True,
    )
    goals = keys(
        "Goal keys accepted; left out: every one the plan does not hold yet",
        load_default=None,
        allow_none=True,
    )


class ProposedDestinationSchema(Schema):
    statement = fields.String(required=True)
    role = fields.String(required=True)
    industry = fields.String(required=True)
    impact = fields.String(required=True)
    horizon = fields.Date(required=True)


class ProposedRequirementSchema(Schema):
    key = fields.String(required=True)
    requirement_id = fields.String(required=True)
    kind = fields.String(required=True)
    description = fields.String(required=True)
    in_plan = fields.Boolean(required=True)


class ProposedMilestoneSchema(Schema):
    key = fields.String(required=True)
    milestone_id = fields.String(required=True)
    title = fields.String(required=True)
    estimate_minutes = fields.Integer(required=True)


class ProposedServesSchema(Schema):
    requirement_key = fields.String(required=True)
    requirement_id = fields.String(required=True)
    how_it_leads = fields.String(required=True)


class ProposedFollowsSchema(Schema):
    goal_key = fields.String(required=True)
    goal_id = fields.String(required=True)


class ProposedMeasureSchema(Schema):
    name = fields.String(required=True)
    baseline = fields.Float(required=True, allow_none=True)
    target = fields.Float(required=True, allow_none=True)
    unit = fields.String(required=True)


class ProposedGoalSchema(Schema):
    key = fields.String(required=True)
    goal_id = fields.String(required=True)
    requirement_key = fields.String(required=True)
    statement = fields.String(required=True)
    category = fields.String(required=True)
    measure = fields.Nested(ProposedMeasureSchema, required=True)
    confidence = fields.Integer(required=True)
    serves = fields.List(fields.Nested(ProposedServesSchema), required=True)
    follows = fields.List(fields.Nested(ProposedFollowsSchema), required=True)
    start_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    milestones = fields.List(fields.Nested(ProposedMilestoneSchema), required=True)
    in_plan = fields.Boolean(required=True)


class TemplateProposalSchema(Schema):
    """A template version dated for the client: nothing is written until it is accepted."""

    client_id = fields.String(required=True)
    template_id = fields.String(required=True)
    template_name = fields.String(required=True)
    version = fields.Integer(required=True)
    start_on = fields.Date(
        required=True,
        metadata={"description": "The client's start: enrolment day, or today if later"},
    )
    destination = fields.Nested(
        ProposedDestinationSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "Set on acceptance; null when the client has a destination (kept)"
        },
    )
    requirements = fields.List(fields.Nested(ProposedRequirementSchema), required=True)
    goals = fields.List(fields.Nested(ProposedGoalSchema), required=True)


class TemplateAppliedSchema(CommandResultSchema):
    """What an acceptance stored: the plan's new version, its events, and the ids it added."""

    template_id = fields.String(required=True)
    template_version = fields.Integer(required=True)
    requirement_ids = fields.List(fields.String(), required=True)
    goal_ids = fields.List(fields.String(), required=True)
