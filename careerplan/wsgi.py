"""WSGI entry point for gunicorn: `gunicorn careerplan.wsgi:app` (JSON logs, settings from the environment)."""

import sys

from careerplan import collector, logs
from careerplan.serving import app_for
from careerplan.settings import SettingsError, load_settings

# A gthread worker's threads share one interpreter lock: a request that has its
# database answer waits until the running thread lets go (5 ms by default), and a
# command makes a dozen round trips. Handing the lock over after 1 ms keeps those
# waits short (figures in bench/README.md).
SWITCH_INTERVAL_SECONDS = 0.001
sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def _serving_app():
    """The app on the environment's settings; a bad setting exits with one line naming it, not a traceback."""
    try:
        settings = load_settings()
        logs.configure(settings.log_level, settings.library_log_level)
        return app_for(settings)
    except SettingsError as error:
        sys.exit(f"careerplan: {error}")


app = _serving_app()
collector.settle_for_serving()
