"""GET /metrics exposes every series operators watch, read back with Prometheus's own parser.

Each app has its own registry, so counts here come from this test's requests only.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from conftest import NOW
from prometheus_client.parser import text_string_to_metric_families
from seed_over_http import seed_requests

from api import create_app
from careerplan.seed_example import seed_example_commands
from services.jobs import outbox
from services.jobs.tables import failed_jobs
from services.plans import CommandContext
from services.webhooks.tables import webhook_attempts
from workers.broker import make_broker

SERIES = {  # family name (as the parser gives it) → its labels
    "careerplan_http_request_duration_seconds": {"method", "route", "status"},
    "careerplan_events_appended": {"type"},
    "careerplan_projection_lag_events": {"projection"},
    "careerplan_outbox_unsent_messages": set(),
    "careerplan_queue_depth": {"queue"},
    "careerplan_digest_run_subjects": {"state"},
    "careerplan_digest_runs_active": set(),
    "careerplan_webhook_failed_attempts": set(),
    "careerplan_failed_jobs": set(),
    "careerplan_outbox_oldest_pending_seconds": set(),
    "careerplan_outbox_requeued_messages": set(),
    "careerplan_metrics_source_up": {"source"},
}


def scrape(http) -> dict[str, dict[tuple, float]]:
    """Each family's samples as {(sample name, sorted labels): value}."""
    response = http.get("/metrics")
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    return {
        family.name: {(s.name, tuple(sorted(s.labels.items()))): s.value for s in family.samples}
        for family in text_string_to_metric_families(response.get_data(as_text=True))
    }


def value(families, name: str, sample: str | None = None, **labels) -> float:
    return families[name][(sample or name, tuple(sorted(labels.items())))]


def enrol(admin, client: str) -> None:
    method, path, body = seed_requests(client, "coach-1", NOW.date())[0]
    assert admin.request(method, path, json=body).status_code == 201


def test_every_series_after_requests_a_command_and_a_digest_run(admin_a, services, http):
    client = str(uuid.uuid4())
    enrol(admin_a, client)
    assert admin_a.get(f"/v1/clients/{client}").status_code == 200
    assert http.get("/no-such-page").status_code == 404
    services.projections.catch_up()

    families = scrape(http)

    assert {
        name: {label for key in samples for label, _ in key[1] if label != "le"}
        for name, samples in families.items()
        if name in SERIES
    } == SERIES | {
        "careerplan_queue_depth": set()
    }  # no REDIS_URL: the family is there, with no samples
    histogram = "careerplan_http_request_duration_seconds"
    assert (
        value(
            families,
            histogram,
            f"{histogram}_count",
            method="GET",
            route="/v1/clients/<uuid:client_id>",
            status="200",
        )
        == 1
    )
    assert (
        value(
            families, histogram, f"{histogram}_count", method="GET", route="unmatched", status="404"
        )
        == 1
    )
    assert (
        value(
            families,
            "careerplan_events_appended",
            "careerplan_events_appended_total",
            type="ClientEnrolled",
        )
        == 1
    )
    assert set(families["careerplan_projection_lag_events"].values()) == {0}
    assert value(families, "careerplan_metrics_source_up", source="database") == 1

    destination = seed_example_commands(client, admin_a.organisation_id, "coach-1", NOW.date())[1]
    services.plans.execute(
        client, destination, CommandContext(admin_a.organisation_id, "test", "metrics")
    )  # no HTTP
    run = admin_a.post("/v1/digest-runs", json={"kind": "weekly"})
    assert run.status_code == 202

    families = scrape(http)

    assert (
        value(
            families,
            "careerplan_events_appended",
            "careerplan_events_appended_total",
            type="DestinationSet",
        )
        == 1
    )
    assert (
        value(families, "careerplan_outbox_unsent_messages") == outbox.unsent(services.engine) == 1
    )
    assert value(families, "careerplan_digest_runs_active") == 1
    assert value(families, "careerplan_outbox_oldest_pending_seconds") >= 0
    assert (
        value(
            families,
            "careerplan_outbox_requeued_messages",
            "careerplan_outbox_requeued_messages_total",
        )
        == 0
    )
    assert (
        value(families, "careerplan_digest_run_subjects", state="pending") == 3
    )  # the client, its coach and the organisation
    assert value(families, "careerplan_digest_run_subjects", state="done") == 0


def test_projection_lag_counts_events_appended_without_a_catch_up(admin_a, services, http):
    client = str(uuid.uuid4())
    enrol(admin_a, client)
    services.projections.catch_up()
    assert set(scrape(http)["careerplan_projection_lag_events"].values()) == {0}

    destination = seed_example_commands(client, admin_a.organisation_id, "coach-1", NOW.date())[1]
    services.plans.execute(
        client, destination, CommandContext(admin_a.organisation_id, "test", "metrics")
    )

    assert set(scrape(http)["careerplan_projection_lag_events"].values()) == {1}


def test_failed_webhook_attempts_and_jobs_are_counted(services, http):
    with services.engine.begin() as conn:
        delivery = str(uuid.uuid4())
        conn.execute(
            webhook_attempts.insert(),
            [
                {"delivery_id": delivery, "attempt": 1, "status_code": 500, "error": "HTTP 500"},
                {"delivery_id": delivery, "attempt": 2, "status_code": 200, "error": None},
            ],
        )
        conn.execute(
            failed_jobs.insert(),
            [
                {
                    "message_id": str(uuid.uuid4()),
                    "queue_name": "digests",
                    "actor_name": "generate_coach_digests",
                    "kwargs": {},
                    "error": "boom",
                    "retries": 5,
                    "redriven_at": redriven,
                }
                for redriven in (None, NOW)
            ],
        )

    families = scrape(http)

    assert (
        value(
            families,
            "careerplan_webhook_failed_attempts",
            "careerplan_webhook_failed_attempts_total",
        )
        == 1
    )
    assert value(families, "careerplan_failed_jobs") == 1


@pytest.mark.redis
def test_queue_depth_counts_messages_waiting_in_redis(admin_a, services, redis_namespace):
    url, namespace = redis_namespace
    settings = dataclasses.replace(services.settings, redis_url=url, redis_namespace=namespace)
    http = create_app(services=dataclasses.replace(services, settings=settings)).test_client()
    assert value(scrape(http), "careerplan_queue_depth", queue="digests") == 0

    enrol(admin_a, str(uuid.uuid4()))
    assert admin_a.post("/v1/digest-runs", json={"kind": "weekly"}).status_code == 202
    broker = make_broker(url, namespace, services.engine)
    try:
        assert outbox.relay(services.engine, broker) == 1
    finally:
        broker.close()

    families = scrape(http)
    assert value(families, "careerplan_queue_depth", queue="digests") == 1
    assert value(families, "careerplan_queue_depth", queue="alignment") == 0
    assert value(families, "careerplan_metrics_source_up", source="redis") == 1


def test_a_source_that_does_not_answer_is_reported_not_raised(services):
    settings = dataclasses.replace(services.settings, redis_url="redis://127.0.0.1:1/0")
    http = create_app(services=dataclasses.replace(services, settings=settings)).test_client()

    families = scrape(http)

    assert value(families, "careerplan_metrics_source_up", source="redis") == 0
    assert value(families, "careerplan_metrics_source_up", source="database") == 1
    assert "careerplan_queue_depth" not in families


def test_metrics_can_be_switched_off(services):
    settings = dataclasses.replace(
        services.settings, metrics_enabled=False
    )  # METRICS_ENABLED=false
    http = create_app(services=dataclasses.replace(services, settings=settings)).test_client()

    assert http.get("/metrics").status_code == 404
    assert "/metrics" not in http.get("/openapi.json").json["paths"]


def test_multiprocess_mode_adds_up_the_files_of_every_process(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR (gunicorn workers), /metrics reads the shared files."""
    script = textwrap.dedent("""
        from careerplan.serving import app_for
        from prometheus_client.parser import text_string_to_metric_families
        http = app_for().test_client()
        http.get("/health"); http.get("/health")
        text = http.get("/metrics").get_data(as_text=True)
        family = next(f for f in text_string_to_metric_families(text)
                      if f.name == "careerplan_http_request_duration_seconds")
        print(sum(s.value for s in family.samples if s.name.endswith("_count") and s.labels["route"] == "/health"))
    """)
    (tmp_path / "prom").mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}",
        "MIGRATE_ON_START": "true",
    }
    root = Path(__file__).resolve().parents[2]
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]

    assert [r.stdout.strip() for r in runs] == ["2.0", "4.0"], [r.stderr[-2000:] for r in runs]
