"""Schemas of digests, digest runs and the organisation's policy (webhooks: `api.schemas.webhooks`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.pagination import page_query, page_schema
from api.positions import moment_and_id
from api.schemas.common import instant
from api.schemas.digest_content import CONTENT_SCHEMAS
from api.schemas.nudges import NudgePolicySchema

KIND = validate.OneOf(["weekly", "quarterly"])


class StartRunSchema(Schema):
    kind = fields.String(required=True, validate=KIND)
    today = fields.Date(
        load_default=None,
        metadata={
            "description": "Run for the last period before this day (default: the organisation's today, in the "
            "policy's time zone). A period that has not ended yet is refused (409 period_not_ended) "
            "unless `provisional`."
        },
    )
    provisional = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Allow a period that has not ended yet: its digests are marked provisional and are "
            "replaced by the period's final run."
        },
    )


class RunStatusSchema(Schema):
    run_id = fields.String()
    kind = fields.String()
    period_key = fields.String()
    total = fields.Integer()
    done = fields.Integer()
    failed = fields.Integer()
    pending = fields.Integer()
    created_at = instant()
    finished_at = instant(allow_none=True)
    provisional = fields.Boolean(metadata={"description": "Made before its period ended."})


DigestQuerySchema = page_query(
    "DigestQuerySchema",
    position=moment_and_id,
    client_id=fields.UUID(load_default=None),
    kind=fields.String(load_default=None, validate=KIND),
    subject_kind=fields.String(
        load_default=None,
        validate=validate.OneOf(["client", "coach", "organisation"]),
        metadata={
            "description": "Only the digests of clients, of coaches or of the organisation "
            "(a coach key never sees the organisation's)"
        },
    ),
    period_key=fields.String(load_default=None, validate=validate.Length(min=1, max=40)),
)


class DigestSummarySchema(Schema):
    digest_id = fields.String()
    subject = fields.String()
    kind = fields.String()
    period_key = fields.String()
    created_at = instant()
    provisional = fields.Boolean(
        metadata={
            "description": "Made before the period ended; the period's final digest replaces it (a new digest_id)."
        }
    )


DigestPageSchema = page_schema(
    "DigestPageSchema", DigestSummarySchema, "Digests, newest first (ties by id)"
)
RunPageQuerySchema = page_query("RunPageQuerySchema", position=moment_and_id)
RunPageSchema = page_schema(
    "RunPageSchema", RunStatusSchema, "Digest runs, newest first (ties by id)"
)


class DigestFormatSchema(Schema):
    format = fields.String(
        load_default="json", validate=validate.OneOf(["json", "markdown", "html"])
    )


class DigestSchema(DigestSummarySchema):
    content = fields.Raw(
        metadata={
            "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in CONTENT_SCHEMAS],
            "description": "A client's digest, a coach's or the organisation's (`kind`; "
            "the organisation's is read by admins and auditors only). The digest as of the period's end (midnight in the organisation's time zone): only "
            "facts that occurred by then, and the latest re-alignment check by then. "
            "`provisional` marks a digest made before the period ended; `late_corrections` lists "
            "facts back-dated into earlier periods after their digests were made (those digests "
            "stay as they were).",
        }
    )


class AlignmentPolicySchema(Schema):
    stall_days = fields.Integer(validate=validate.Range(min=1, max=365))
    max_active_goals = fields.Integer(validate=validate.Range(min=1, max=50))
    pace_at_risk_gap = fields.Float(validate=validate.Range(min=0.01, max=1.0))
    max_goal_months = fields.Integer(validate=validate.Range(min=1, max=24))
    disabled_rules = fields.List(fields.String(validate=validate.Length(min=1, max=100)))


class PolicySchema(Schema):
    alignment = fields.Nested(AlignmentPolicySchema, load_default=dict)
    digest_kinds = fields.List(fields.String(validate=KIND), load_default=lambda: ["quarterly"])
    timezone = fields.String(
        load_default="UTC",
        validate=validate.Length(min=1, max=64),
        metadata={
            "description": "The organisation's IANA time zone (e.g. Europe/Berlin): a digest period "
            "ends at midnight there. An unknown zone is a 422 and nothing is written."
        },
    )
    nudges = fields.Nested(
        NudgePolicySchema,
        load_default=dict,
        metadata={
            "description": "When the daily sweep records a nudge for a quiet client (webhook "
            "`client.nudge_due`); left out: off"
        },
    )
