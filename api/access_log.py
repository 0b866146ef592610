"""One structured JSON line per request on the `careerplan.access` logger, with the request id.

The fields go as `extra`, which careerplan/logs.py renders into the JSON line
with the timestamp and level. The line is only built when the logger is
enabled at INFO, so an unconfigured process pays nothing for it.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

from api.authentication import principal_if_any

log = logging.getLogger("careerplan.access")


def start_clock() -> None:
    g.started = time.perf_counter()


def log_request(response: Response) -> Response:
    if log.isEnabledFor(logging.INFO):
        caller = principal_if_any()
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "request_id": g.get("request_id"),
                "actor": caller.actor if caller else None,
                "organisation_id": caller.organisation_id if caller else None,
                "duration_ms": round(
                    (time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2
                ),
            },
        )
    return response


def install(app: Flask) -> None:
    app.before_request(start_clock)
    app.after_request(log_request)
