"""The fields every log line carries beyond the message: the request id, and errors kept to one line.

Both are structlog processors, run on structlog events and on records from
stdlib loggers (Flask, werkzeug, gunicorn, Dramatiq, APScheduler, Alembic).
"""

from __future__ import annotations

from flask import g, has_app_context, has_request_context


def add_request_id(_logger, _method: str, event_dict: dict) -> dict:
    """The request id (api/request_id.py) of the request being served by this thread, if any."""
    if "request_id" not in event_dict and has_request_context() and has_app_context():
        request_id = g.get("request_id")
        if request_id:
            event_dict["request_id"] = request_id
    return event_dict


def expected_failures_in_one_line(_logger, _method: str, event_dict: dict) -> dict:
    """An exception that says it needs no traceback becomes an `error` field, not 12 lines.

    An exception class with `log_without_traceback = True` (a webhook endpoint
    that answered 500, say) is an outcome worth one line with its message; any
    other exception keeps its traceback, since it may be a bug.
    """
    exc_info = event_dict.get("exc_info")
    if exc_info is True:
        import sys

        exc_info = sys.exc_info()
    error = exc_info[1] if isinstance(exc_info, tuple) else exc_info
    if isinstance(error, BaseException) and getattr(error, "log_without_traceback", False):
        event_dict.pop("exc_info")
        event_dict["error"] = f"{type(error).__name__}: {error}"
    return event_dict
