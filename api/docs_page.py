"""/docs: Swagger UI served by the service itself, from the pinned `swagger-ui-py` package, no CDN.

The page, its one script (which starts Swagger UI on /openapi.json) and the
packaged Swagger UI assets all come from this origin, so the page works with
no internet and runs under a strict Content-Security-Policy (scripts and
styles from 'self' only, no inline code; see `api.security_headers`).
"""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Response, abort, send_from_directory

DOCS_PATH = "/docs"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"}
)
ASSET_FOLDER = files("swagger_ui") / "static"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Career plan API</title>
<link rel="stylesheet" href="{DOCS_PATH}/static/swagger-ui.css">
<link rel="icon" type="image/png" href="{DOCS_PATH}/static/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_PATH}/static/swagger-ui-bundle.js"></script>
<script src="{DOCS_PATH}/start.js"></script>
</body>
</html>
"""
START = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null
});
"""

blp = Blueprint("docs", __name__)


@blp.get(DOCS_PATH)
def page() -> Response:
    """The docs page: Swagger UI on this service's OpenAPI document."""
    return Response(PAGE, mimetype="text/html")


@blp.get(f"{DOCS_PATH}/start.js")
def start() -> Response:
    """The page's one script, a file rather than inline code, so the CSP needs no exception."""
    return Response(START, mimetype="text/javascript")


@blp.get(f"{DOCS_PATH}/static/<name>")
def asset(name: str) -> Response:
    """A Swagger UI asset from the installed package (only those the page uses)."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(str(ASSET_FOLDER), name, max_age=3600)
