"""The served app: the API on services built for a threaded server, from settings or the environment.

The entry points (gunicorn's `careerplan.wsgi`, `careerplan serve`, the
benches) build the app here, so `api/` never reaches up for the
composition root: it is handed the services.
"""

from __future__ import annotations

from flask import Flask

from api import create_app
from careerplan.bootstrap import Services, bootstrap
from careerplan.database import engine_for
from careerplan.settings import Settings, load_settings

# Connections each of the app's two pools (transactions, autocommit reads) keeps open. A
# threaded server (gunicorn gthread) has a request per thread, and a command briefly holds
# two connections of a pool (its view refresh and the read inside it); a pool that keeps
# fewer than it lends closes the extras on return and opens new ones, which under load
# means a new PostgreSQL backend for many requests. Connections are opened only as needed.
POOL_SIZE = 16
POOL_OVERFLOW = 16


def serving_services(settings: Settings) -> Services:
    """The services on an engine whose PostgreSQL pools are sized for a threaded server."""
    engine = (
        engine_for(settings)
        if settings.embedded
        else engine_for(settings, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    )
    return bootstrap(settings, engine=engine)


def app_for(settings: Settings | None = None) -> Flask:
    """The API on services built from `settings` (default: the environment's)."""
    return create_app(serving_services(settings or load_settings()))
