"""Logging for every process: one JSON object per line, on standard error.

Every logger goes through structlog's JSON renderer: ours (structlog and
stdlib `logging`) and the libraries' (Flask, werkzeug, gunicorn, Dramatiq,
APScheduler, Alembic, SQLAlchemy). Each line has `timestamp` (ISO 8601, UTC),
`level`, `logger`, `event`, the request id while a request is served, and any
bound context. Our loggers log at LOG_LEVEL; the libraries at
LIBRARY_LOG_LEVEL (default WARNING), so a one-second scheduler tick or
werkzeug's own request line (api/access_log.py writes the one request line)
does not reach the log.
"""

from __future__ import annotations

import logging
import sys

import structlog

from careerplan.log_fields import add_request_id, expected_failures_in_one_line

OUR_LOGGERS = ("api", "careerplan", "eventstore", "projections", "services", "workers")
LIBRARY_LEVEL = "WARNING"
# Libraries that set up handlers or levels of their own: reset so they log through ours.
LIBRARY_LOGGERS = (
    "werkzeug",
    "flask",
    "gunicorn",
    "gunicorn.error",
    "gunicorn.access",
    "dramatiq",
    "apscheduler",
    "alembic",
    "sqlalchemy",
)
# Their request lines repeat api/access_log.py's: never below WARNING, so one line per request.
REPEAT_THE_ACCESS_LOG = ("werkzeug", "gunicorn.access")

SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    add_request_id,
]


def json_formatter() -> logging.Formatter:
    """The formatter that renders any record as one JSON line (also gunicorn's, see deploy/)."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            expected_failures_in_one_line,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )


def configure(level: str = "INFO", library_level: str = LIBRARY_LEVEL) -> None:
    """Set up stdlib logging and structlog for this process (again, if called again)."""
    ours, libraries = _level(level), _level(library_level)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(libraries)
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
        repeats_ours = name in REPEAT_THE_ACCESS_LOG
        library.setLevel(max(libraries, logging.WARNING) if repeats_ours else libraries)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(ours)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def _level(name: str) -> int:
    """The numeric level of `name`; ValueError for a name that is not a level."""
    level = logging.getLevelName(name.upper())
    if not isinstance(level, int):
        raise ValueError(f"{name!r} is not a logging level")
    return level
