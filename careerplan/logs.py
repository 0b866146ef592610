"""Logging for every process: one JSON object per line, on standard error.

The API's access lines are already JSON (api/access_log.py) and pass through
as they are; structlog loggers (workers, scheduler) render JSON with a UTC
timestamp, the level and any bound context.
"""

from __future__ import annotations

import logging
import sys

import structlog


def configure(level: str = "INFO") -> None:
    """Set up stdlib logging and structlog once for this process."""
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr, force=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
