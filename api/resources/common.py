"""What the resource modules share: the wired services, the v1 blueprint, command documentation."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from api.spec import ETAG_HEADER
from api.spec_plugin import ALTERNATIVE_CONTENT

__all__ = ["ALTERNATIVE_CONTENT", "ETAG_HEADER", "command_doc", "services", "v1_blueprint"]

command_doc = Blueprint.doc(parameters=["IfMatch", "IdempotencyKey"])


def services():
    """The services this app was built on (see `careerplan.bootstrap`)."""
    return current_app.extensions["careerplan"]


def v1_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint under /v1, shown in the docs as the tag `name`."""
    return Blueprint(name, __name__, url_prefix="/v1", description=description)
