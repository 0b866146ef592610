"""API keys of the caller's organisation (admin keys only), and who the caller is."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import principal, require_role
from api.pagination import page
from api.resources.common import services, v1_blueprint
from api.schemas.common import NoBodySchema
from api.schemas.keys import (
    ApiKeyListSchema,
    ApiKeySchema,
    CallerSchema,
    IssuedKeySchema,
    KeyPageQuerySchema,
    NewKeySchema,
)

blp = v1_blueprint("keys", "API keys: issue, list, rotate, revoke (admin keys only)")


def _issued(issued) -> dict:
    return {**vars(issued.api_key), "key": issued.key}


def _own_key(key_id) -> str:
    """The key id, if the caller is an admin (scope already found the key in their organisation)."""
    require_role("admin")
    return str(key_id)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, CallerSchema)
    @blp.doc(operationId="getMe")
    def get(self):
        """Who this key is: organisation, role and coach."""
        caller = principal()
        organisation = services().tenancy.organisations.get(caller.organisation_id)
        return {
            "organisation_id": organisation.organisation_id,
            "organisation_name": organisation.name,
            "key_id": caller.key_id,
            "role": caller.role,
            "coach_id": caller.coach_id,
        }


@blp.route("/keys")
class Keys(MethodView):
    @blp.arguments(KeyPageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ApiKeyListSchema)
    @blp.doc(operationId="listKeys")
    def get(self, query):
        """List the organisation's working keys, newest first: prefix, role, coach, last used."""
        caller = require_role("admin")
        keys, position = services().tenancy.keys.page(
            caller.organisation_id, after=query["after"], limit=query["limit"]
        )
        return page(keys, position)

    @blp.arguments(NewKeySchema)
    @blp.response(201, IssuedKeySchema)
    @blp.doc(operationId="createKey")
    def post(self, body):
        """Issue a key; the key itself is in this response only."""
        caller = require_role("admin")
        return _issued(
            services().tenancy.keys.issue(caller.organisation_id, body["role"], body["coach_id"])
        )


@blp.route("/keys/<uuid:key_id>")
class Key(MethodView):
    @blp.response(200, ApiKeySchema)
    @blp.doc(operationId="revokeKey")
    def delete(self, key_id):
        """Revoke a key at once (the organisation's last admin key cannot be revoked)."""
        return services().tenancy.keys.revoke(principal().organisation_id, _own_key(key_id))


@blp.route("/keys/<uuid:key_id>/rotate")
class RotateKey(MethodView):
    @blp.arguments(NoBodySchema, required=False)
    @blp.response(201, IssuedKeySchema)
    @blp.doc(operationId="rotateKey")
    def post(self, _body, key_id):
        """Replace a key by a new one with the same role; the old one is revoked."""
        return _issued(
            services().tenancy.keys.rotate(principal().organisation_id, _own_key(key_id))
        )
