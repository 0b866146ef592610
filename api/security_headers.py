"""Security headers on every response: no sniffing, no referrer, no caching of data, no framing of HTML.

Every /v1 answer is an organisation's data (clients' plans, digests, history,
exports), so none is kept by a browser or a shared cache (`no-store`). An HTML
page (a rendered digest, /docs) may not be framed by another site, and runs
only what it must: a digest nothing but its own inline style; /docs the
Swagger UI that flask-smorest loads from its CDN with one inline script.
"""

from __future__ import annotations

from flask import Flask, Response, request

DIGEST_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' {cdn}; style-src 'unsafe-inline' {cdn}; "
    "img-src 'self' data: {cdn}; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
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
    from flask import current_app

    docs_path = "/" + current_app.config.get("OPENAPI_SWAGGER_UI_PATH", "docs").strip("/")
    if request.path != docs_path:
        return DIGEST_CSP
    cdn = current_app.config.get("OPENAPI_SWAGGER_UI_URL", "").rstrip("/") or "'self'"
    return DOCS_CSP.format(cdn=cdn)


def install(app: Flask) -> None:
    app.after_request(add_security_headers)
