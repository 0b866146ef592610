"""The Flask application factory."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from api import health
from careerplan.bootstrap import Services, bootstrap
from careerplan.settings import Settings, load_settings


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the app on `services` (or on services bootstrapped from `settings`)."""
    services = services or bootstrap(settings or load_settings())
    app = Flask(__name__)
    app.config.update(
        API_TITLE="Career plan API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    app.extensions["careerplan"] = services
    api = Api(app)
    api.register_blueprint(health.blp)
    return app
