"""Every request within its time budget (REQUEST_BUDGET_S): a database that stops answering costs a 503.

The whole request, from the first middleware to the error handlers, runs
under one budget; a database wait still going when it is spent is cut, and
the request answers 503 `database_unavailable` with Retry-After (api.errors)
instead of holding a server thread for as long as the network stays silent.
"""

from __future__ import annotations

from flask import Flask

from services.budget import within_budget


def install(app: Flask, seconds: float) -> None:
    """Wrap the WSGI app so that each request's database waits end by `seconds` after it starts."""
    inner = app.wsgi_app

    def budgeted(environ, start_response):
        with within_budget(seconds):
            return inner(environ, start_response)

    app.wsgi_app = budgeted
