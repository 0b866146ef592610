"""Prometheus metrics: request latency by route, events appended, and the GET /metrics scrape.

`install(app)` gives each app its own CollectorRegistry (two apps in one
process, as in tests, never share counts), times every request by its URL
rule rather than its raw path (so the label set stays bounded), counts the
events the app's store appends, and serves the text exposition format at
/metrics, public like /health. The backlog gauges (projection lag, outbox,
queues, digest runs, webhook and job failures) are read from the database
and Redis at scrape time by the collector the composition root hands over
(`services.backlog`, built on the app's services).

The histogram and the counter live in the process. Under gunicorn with
several workers a scrape sees one worker's counts, unless the environment
sets PROMETHEUS_MULTIPROC_DIR (an empty directory per host, shared by the
workers): then /metrics adds up every worker's files, and the gunicorn
config must call `prometheus_client.multiprocess.mark_process_dead(worker.pid)`
in its `child_exit` hook. Events appended by Dramatiq worker processes are
counted there, not here: they serve no /metrics.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

EXTENSION = "careerplan.metrics"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"

blp = Blueprint("metrics", __name__, description="Prometheus metrics")


@dataclass(frozen=True)
class AppMetrics:
    """One app's registry and the instruments its hooks update."""

    registry: CollectorRegistry
    backlog: Collector
    requests: Histogram
    events: Counter

    def scrape_registry(self) -> CollectorRegistry:
        """What a scrape reads: this app's registry, or every process's files in multiprocess mode."""
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            return self.registry
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        registry.register(self.backlog)
        return registry

    def count_appended(self, stored) -> None:
        """The store's append listener: one increment per stored event, by type."""
        for event in stored:
            self.events.labels(event.type).inc()


def build(services) -> AppMetrics:
    """A fresh registry with the request histogram, the events counter and the backlog collector."""
    registry = CollectorRegistry()
    backlog = services.backlog(services)
    registry.register(backlog)
    return AppMetrics(
        registry=registry,
        backlog=backlog,
        requests=Histogram(
            "careerplan_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, URL rule and status code.",
            ["method", "route", "status"],
            registry=registry,
        ),
        events=Counter(
            "careerplan_events_appended",
            "Events appended to the store by this process, by event type.",
            ["type"],
            registry=registry,
        ),
    )


def start_timer() -> None:
    g.metrics_started = time.perf_counter()


def observe_request(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is not None:
        rule = request.url_rule
        method = request.method if request.method in METHODS else "other"
        current_app.extensions[EXTENSION].requests.labels(
            method, rule.rule if rule is not None else UNMATCHED, str(response.status_code)
        ).observe(time.perf_counter() - started)
    return response


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.doc(
        security=[],
        responses={
            "200": {
                "description": "Prometheus text exposition format (OpenMetrics when the Accept header asks for it)",
                "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "application/openmetrics-text": {"schema": {"type": "string"}},
                },
            }
        },
    )
    @blp.doc(operationId="getMetrics")
    def get(self):
        """Metrics for Prometheus: request latency, events appended, projection lag and background backlog."""
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        registry = current_app.extensions[EXTENSION].scrape_registry()
        return Response(encode(registry), headers={"Content-Type": content_type})


def install(app: Flask, api) -> None:
    """Time requests, count appended events and serve /metrics, unless METRICS_ENABLED is false.

    Call it before authentication is installed, so a request it refuses is timed too.
    """
    services = app.extensions["careerplan"]
    if not services.settings.metrics_enabled:
        return
    metrics = build(services)
    app.extensions[EXTENSION] = metrics
    services.store.on_append(metrics.count_appended)
    app.before_request(start_timer)
    app.after_request(observe_request)
    api.register_blueprint(blp)
