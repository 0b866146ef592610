"""Webhook endpoints (admin keys only): register, list, change, disable, delete, rotate, ping; deliveries.

Another organisation's endpoint is a 404 on every route (`api.scope`); any
key but an admin's is a 403. How requests are signed, and what each notice
holds, is documented in `services.webhooks`.
"""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from marshmallow import RAISE

from api.authentication import require_role
from api.pagination import page
from api.problems import PROBLEM_JSON, Problem, ProblemSchema
from api.resources.common import services, v1_blueprint
from api.schemas.common import NoBodySchema
from api.schemas.webhooks import (
    DeliveryDetailSchema,
    DeliveryListQuerySchema,
    DeliveryPageSchema,
    DeliverySchema,
    RegisteredWebhookSchema,
    WebhookInSchema,
    WebhookListQuerySchema,
    WebhookPageSchema,
    WebhookPatchSchema,
    WebhookSchema,
)
from services.webhooks import delivery_log, endpoints

blp = v1_blueprint("webhooks", "Webhook endpoints and their delivery log (admin keys only)")
LOCATION = {"Location": {"description": "Where to read it", "schema": {"type": "string"}}}


def _admin() -> str:
    """The caller's organisation, if the caller holds an admin key (403 otherwise)."""
    return require_role("admin").organisation_id


def _found(value, what: str):
    if value is None:
        raise Problem(404, "not_found", f"{what} was not found")
    return value


def _endpoint(endpoint_id) -> str:
    return f"webhook endpoint {endpoint_id}"


@blp.route("/webhooks")
class Webhooks(MethodView):
    @blp.doc(operationId="listWebhooks")
    @blp.arguments(WebhookListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, WebhookPageSchema)
    def get(self, query):
        """The organisation's webhook endpoints, enabled or not, a page at a time."""
        items, after = endpoints.endpoint_page(
            services().engine, _admin(), query["after"], query["limit"]
        )
        return page(items, after)

    @blp.doc(operationId="registerWebhook")
    @blp.arguments(WebhookInSchema)
    @blp.response(201, RegisteredWebhookSchema, headers=LOCATION)
    def post(self, body):
        """Register an HTTPS endpoint for the events chosen (all unless chosen); its secret is shown once."""
        created = endpoints.register_endpoint(
            services().engine, _admin(), body["url"], body["events"]
        )
        return created, {"Location": _url(created["endpoint_id"])}


@blp.route("/webhooks/<uuid:endpoint_id>")
class Webhook(MethodView):
    @blp.doc(operationId="getWebhook")
    @blp.response(200, WebhookSchema)
    def get(self, endpoint_id):
        """One endpoint: URL, events, enabled, and the end of a rotated-out secret's grace period."""
        found = endpoints.endpoint_of(services().engine, _admin(), str(endpoint_id))
        return _found(found, _endpoint(endpoint_id))

    @blp.doc(operationId="updateWebhook")
    @blp.arguments(WebhookPatchSchema)
    @blp.response(200, WebhookSchema)
    def patch(self, body, endpoint_id):
        """Change the URL or the events, or disable (`enabled: false`) and enable the endpoint."""
        changed = endpoints.update_endpoint(services().engine, _admin(), str(endpoint_id), **body)
        return _found(changed, _endpoint(endpoint_id))

    @blp.doc(operationId="deleteWebhook")
    @blp.response(204)
    def delete(self, endpoint_id):
        """Delete the endpoint: its pending deliveries are cancelled, its delivery log is kept."""
        _found(
            endpoints.delete_endpoint(services().engine, _admin(), str(endpoint_id)) or None,
            _endpoint(endpoint_id),
        )
        return ""


@blp.route("/webhooks/<uuid:endpoint_id>/rotate-secret")
class RotateWebhookSecret(MethodView):
    @blp.doc(operationId="rotateWebhookSecret")
    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, RegisteredWebhookSchema)
    def post(self, _body, endpoint_id):
        """Give the endpoint a new secret, shown once; the old one also signs until
        `previous_secret_expires_at` (WEBHOOK_SECRET_GRACE_HOURS, 24 by default)."""
        rotated = endpoints.rotate_secret(services().engine, _admin(), str(endpoint_id))
        return _found(rotated, _endpoint(endpoint_id))


@blp.route("/webhooks/<uuid:endpoint_id>/test")
class PingWebhook(MethodView):
    @blp.doc(operationId="pingWebhook")
    @blp.arguments(NoBodySchema, required=False)
    @blp.response(202, DeliverySchema, headers=LOCATION)
    @blp.alt_response(
        409,
        schema=ProblemSchema,
        content_type=PROBLEM_JSON,
        description="webhook_disabled: enable the endpoint first",
    )
    def post(self, _body, endpoint_id):
        """Queue a `webhook.test` delivery, sent and signed like any other; follow it at `Location`."""
        try:
            queued = delivery_log.ping(services().engine, _admin(), str(endpoint_id))
        except delivery_log.EndpointDisabled as disabled:
            raise Problem(409, disabled.code, str(disabled)) from None
        _found(queued, _endpoint(endpoint_id))
        return queued, {"Location": _url(endpoint_id, queued["delivery_id"])}


@blp.route("/webhooks/<uuid:endpoint_id>/deliveries")
class Deliveries(MethodView):
    @blp.doc(operationId="listWebhookDeliveries")
    @blp.arguments(DeliveryListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, DeliveryPageSchema)
    def get(self, query, endpoint_id):
        """Deliveries to one endpoint, newest first, with their status and attempt counts."""
        found = delivery_log.delivery_page(
            services().engine, _admin(), str(endpoint_id), query["after"], query["limit"]
        )
        return page(*_found(found, _endpoint(endpoint_id)))


@blp.route("/webhooks/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>")
class Delivery(MethodView):
    @blp.doc(operationId="getWebhookDelivery")
    @blp.response(200, DeliveryDetailSchema)
    def get(self, endpoint_id, delivery_id):
        """One delivery: what was sent, and every attempt with its status or error."""
        found = delivery_log.delivery_of(
            services().engine, _admin(), str(endpoint_id), str(delivery_id)
        )
        return _found(found, f"delivery {delivery_id}")


def _url(endpoint_id, delivery_id=None) -> str:
    if delivery_id is None:
        return url_for("webhooks.Webhook", endpoint_id=endpoint_id)
    return url_for("webhooks.Delivery", endpoint_id=endpoint_id, delivery_id=delivery_id)
