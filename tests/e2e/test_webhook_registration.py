"""An admin cannot point a webhook at the service's own network: each such URL is a 422 that stores nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_api_problems import assert_problem

from services.webhooks.tables import webhook_endpoints


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:5441/",
        "https://localhost/hooks",
        "https://[::1]/",
        "https://10.0.0.8/",
        "https://172.16.4.4/",
        "https://192.168.0.10/",
        "https://[fc00::5]/",
        "https://169.254.169.254/latest/meta-data/",
        "https://224.0.0.251/",
        "https://[::ffff:127.0.0.1]/",
    ],
)
def test_a_webhook_to_a_non_public_address_is_refused(admin_a, services, url):
    response = admin_a.post("/v1/webhooks", json={"url": url})
    assert response.status_code == 422, response.json
    # the schema's URL check already refuses some forms (an IPv4-mapped IPv6 literal); the rest reach ours
    assert response.json["code"] in ("webhook_target_refused", "validation_failed")
    with services.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(webhook_endpoints)).scalar() == 0


def test_the_refusal_says_which_address_and_why(admin_a):
    problem = assert_problem(
        admin_a.post("/v1/webhooks", json={"url": "https://169.254.169.254/"}),
        422,
        "webhook_target_refused",
    )
    assert "169.254.169.254" in problem["detail"] and "link-local" in problem["detail"]


def test_a_public_webhook_is_registered_and_its_secret_shown_once_but_stored_sealed(
    admin_a, services
):
    created = admin_a.post("/v1/webhooks", json={"url": "https://hooks.example.com/a"})
    assert created.status_code == 201, created.json
    listed = admin_a.get("/v1/webhooks").json
    assert "secret" not in listed["items"][0]
    with services.engine.connect() as conn:
        stored = conn.execute(sa.select(webhook_endpoints.c.secret)).scalar_one()
    assert created.json["secret"] not in stored
