"""Security headers on every response: no sniffing, no referrer, no caching of data, no framing of HTML.

Every /v1 answer is an organisation's data (clients' plans, digests, history,
exports), so none is kept by a browser or a shared cache (`no-store`). An HTML
page (a rendered digest, /docs) may not be framed by another site, and runs
only what it must: a digest nothing but its own inline style; /docs the
Swagger UI the service serves itself, scripts and styles from 'self' only.
"""

from __future__ import annotations

from flask import Flask, Response, request

from api.docs_page import DOCS_PATH

DIGEST_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    """Set the headers on `response` (a header a view set itself is kept)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith("/v1/"):
        headers.setdefault("Cache-Control", "no-store")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", _html_policy())
    return response


def _html_policy() -> str:
    return DOCS_CSP if request.path.rstrip("/") == DOCS_PATH else DIGEST_CSP


def install(app: Flask) -> None:
    app.after_request(add_security_headers)
