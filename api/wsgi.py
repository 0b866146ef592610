"""WSGI entry point for gunicorn: `gunicorn api.wsgi:app` (JSON logs, settings from the environment)."""

from api.app import create_app
from careerplan import logs
from careerplan.settings import load_settings

settings = load_settings()
logs.configure(settings.log_level)
app = create_app(settings)
