"""/docs: Swagger UI from the service itself, under a strict CSP, rendering with no network beyond it."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api import create_app

CHROMIUM = Path("/usr/bin/chromium")


def local_references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_page_references_only_its_own_assets_and_they_are_served(http):
    page = http.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    references = local_references(page.get_data(as_text=True))
    assert references and all(ref.startswith("/docs/") for ref in references), references
    assert "<script>" not in page.get_data(as_text=True)  # no inline code
    for ref in references:
        asset = http.get(ref)
        assert asset.status_code == 200 and asset.data, ref
    assert http.get("/docs/static/swagger-ui-bundle.js").mimetype == "text/javascript"


def test_the_page_runs_under_a_strict_policy(http):
    policy = http.get("/docs").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert "frame-ancestors 'none'" in policy and "connect-src 'self'" in policy


def test_only_the_page_s_assets_are_served_from_the_package(http):
    assert http.get("/docs/static/LICENSE").status_code == 404
    assert http.get("/docs/static/..%2Fcore.py").status_code == 404


@pytest.fixture
def live_server(services):
    server = make_server("127.0.0.1", 0, create_app(services=services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_a_browser_with_no_network_renders_every_operation(live_server, http):
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_digest_browser import ARGS

    operations = sum(
        1
        for item in http.get("/openapi.json").json["paths"].values()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page, problems, outside = browser.new_page(), [], []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))

        def only_this_server(route):
            if route.request.url.startswith(live_server):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        page.route("**/*", only_this_server)
        page.goto(f"{live_server}/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        assert page.locator(".opblock").count() == operations
        assert "Career plan API" in page.locator(".info .title").inner_text()
        browser.close()
    assert outside == [] and problems == []
