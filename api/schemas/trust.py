"""Answers of the trust resources: a hash-chain verification, and the erasure of a client."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.common import instant


class BrokenLinkSchema(Schema):
    client_id = fields.String(required=True)
    version = fields.Integer(
        required=True, metadata={"description": "The first event whose link does not hold"}
    )
    problem = fields.String(required=True)


class VerificationSchema(Schema):
    intact = fields.Boolean(
        required=True,
        metadata={"description": "True when every link of every checked stream holds"},
    )
    clients_checked = fields.Integer(required=True)
    events_checked = fields.Integer(required=True)
    broken = fields.List(
        fields.Nested(BrokenLinkSchema),
        required=True,
        metadata={
            "description": "Each broken client history with its first broken link (at most 100)"
        },
    )
    broken_count = fields.Integer(required=True)


class ErasureSchema(Schema):
    client_id = fields.String(required=True)
    forgotten_at = instant(required=True)
    key_destroyed = fields.Boolean(
        required=True,
        metadata={
            "description": "False when an earlier request had already destroyed the client's key"
        },
    )
    rows_purged = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={
            "description": "Rows holding the client's personal data that were deleted, per table "
            "(`webhook_deliveries`: nudge notices kept in the log with their text stripped)"
        },
    )
