"""Every response carries the security headers; data is never cached, HTML is never framed."""

from __future__ import annotations

import uuid

import pytest
from seed_over_http import seed_digests_and_webhooks
from test_api_journey import drive_seed


@pytest.fixture
def seeded(admin_a, services) -> dict[str, str]:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return {"client": client, **seed_digests_and_webhooks(admin_a, services, client)}


def test_every_answer_says_nosniff_and_no_referrer(admin_a, http, seeded):
    for response in (
        http.get("/health"),
        http.get("/openapi.json"),
        http.get("/v1/me"),
        admin_a.get(f"/v1/clients/{seeded['client']}"),
        admin_a.get("/v1/digests?period_key=a%00b"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.request.path
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_personal_data_is_never_stored_by_a_cache(admin_a, seeded):
    client, digest = seeded["client"], seeded["digest_id"]
    for path in (
        f"/v1/clients/{client}",
        f"/v1/clients/{client}/history",
        f"/v1/clients/{client}/export",
        f"/v1/clients/{client}/roadmap",
        "/v1/digests",
        f"/v1/digests/{digest}",
        f"/v1/digests/{digest}?format=html",
        f"/v1/digests/{digest}?format=markdown",
    ):
        response = admin_a.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_html_digest_may_not_be_framed_and_runs_no_script(admin_a, seeded):
    response = admin_a.get(f"/v1/digests/{seeded['digest_id']}?format=html")
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'" in policy
        and "default-src 'none'" in policy
        and "script-src" not in policy
    )


def test_the_docs_page_still_loads_swagger_ui_and_may_not_be_framed(http):
    response = http.get("/docs")
    assert response.status_code == 200 and b"swagger-ui-bundle.js" in response.data
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy  # Swagger UI is served by the service itself
    assert "connect-src 'self'" in policy  # the page fetches /openapi.json
