"""Gauges of the background work, computed from the database and the broker when Prometheus scrapes.

Nothing is counted on the hot path: each scrape runs a few COUNT queries and
one Redis pipeline. The numbers span every organisation (they are for
operators); no series is labelled by tenant, so their number stays fixed.
A source that does not answer leaves its series empty and sets
`careerplan_metrics_source_up{source}` to 0, so a scrape never fails.
"""

from __future__ import annotations

import logging

import redis
import sqlalchemy as sa
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from services.digests.tables import digest_run_items, digest_runs
from services.jobs import outbox
from services.jobs.reconcile import pending_stats
from services.jobs.tables import failed_jobs
from services.webhooks.tables import webhook_attempts
from workers import actors

log = logging.getLogger(__name__)
ITEM_STATES = ("pending", "done", "failed")
REDIS_TIMEOUT_SECONDS = 2.0


def queued_messages(client, namespace: str, queues: list[str]) -> dict[str, int]:
    """Messages waiting for a worker in each queue: its ready list plus its delayed (retry) list.

    Dramatiq's Redis broker keeps a queue's message ids in the list
    `<namespace>:<queue>` (and `<namespace>:<queue>.DQ` for delayed ones);
    a message a worker has taken leaves the list, so in-flight work is not counted.
    """
    pipe = client.pipeline(transaction=False)
    for queue in queues:
        pipe.llen(f"{namespace}:{queue}")
        pipe.llen(f"{namespace}:{queue}.DQ")
    lengths = pipe.execute()
    return {queue: lengths[2 * i] + lengths[2 * i + 1] for i, queue in enumerate(queues)}


class BacklogCollector(Collector):
    """Projection lag, outbox, queue depth, digest run progress, webhook and job failures."""

    def __init__(self, services):
        self.services = services
        self._redis = None
        self._queues: list[str] | None = None

    def describe(self):
        return []  # unnamed up front: registering must not query the database

    def collect(self):
        up = GaugeMetricFamily(
            "careerplan_metrics_source_up",
            "1 when the source of the backlog gauges answered this scrape.",
            labels=["source"],
        )
        families, answered = _gather("database", self._database_families)
        up.add_metric(["database"], answered)
        if self.services.settings.redis_url:
            queues, answered = _gather("redis", self._queue_families)
            up.add_metric(["redis"], answered)
        else:
            queues = [_queue_gauge()]  # no broker to ask: the family, with no samples
        return [*families, *queues, up]

    def _database_families(self):
        lag = GaugeMetricFamily(
            "careerplan_projection_lag_events",
            "Events a projection is behind the head of the feed.",
            labels=["projection"],
        )
        for name, behind in self.services.projections.lag().items():
            lag.add_metric([name], behind)
        yield lag
        yield GaugeMetricFamily(
            "careerplan_outbox_unsent_messages",
            "Outbox messages not yet relayed to the broker.",
            value=outbox.unsent(self.services.engine),
        )
        with self.services.store.reader.connect() as conn:
            yield from _pending_work_families(conn)
            yield from _digest_run_families(conn)
            failed = conn.execute(
                sa.select(sa.func.count())
                .select_from(webhook_attempts)
                .where(webhook_attempts.c.error.is_not(None))
            ).scalar_one()
            yield CounterMetricFamily(
                "careerplan_webhook_failed_attempts",
                "Webhook delivery attempts that failed (an error or a non-2xx answer).",
                value=failed,
            )
            jobs = conn.execute(
                sa.select(sa.func.count())
                .select_from(failed_jobs)
                .where(failed_jobs.c.redriven_at.is_(None))
            ).scalar_one()
            yield GaugeMetricFamily(
                "careerplan_failed_jobs",
                "Jobs that failed past their retries, not re-driven.",
                value=jobs,
            )

    def _queue_families(self):
        settings = self.services.settings
        if self._redis is None:
            self._queues = actors.queues()
            self._redis = redis.Redis.from_url(
                settings.redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        depth = _queue_gauge()
        for queue, waiting in queued_messages(
            self._redis, settings.redis_namespace, self._queues
        ).items():
            depth.add_metric([queue], waiting)
        yield depth


def _gather(source: str, build) -> tuple[list, int]:
    """The families `build` yields and 1, or none and 0 when its source fails (logged)."""
    try:
        return list(build()), 1
    except Exception as error:  # noqa: BLE001 - a scrape reports the outage instead of failing
        log.warning("metrics source %s did not answer: %s", source, error)
        return [], 0


def _queue_gauge() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "careerplan_queue_depth",
        "Messages waiting for a worker in a Dramatiq queue.",
        labels=["queue"],
    )


def _pending_work_families(conn: sa.Connection):
    """The age of the oldest unfinished outbox message, and how many the reconciler re-enqueued."""
    oldest, requeued = pending_stats(conn)
    yield GaugeMetricFamily(
        "careerplan_outbox_oldest_pending_seconds",
        "Age of the oldest outbox message not yet finished by a worker (0 when none).",
        value=oldest,
    )
    yield CounterMetricFamily(
        "careerplan_outbox_requeued_messages",
        "Relayed messages the reconciler enqueued again because the broker had lost them.",
        value=requeued,
    )


def _digest_run_families(conn: sa.Connection):
    """Subjects of unfinished digest runs by state, and how many runs are unfinished."""
    unfinished = digest_runs.c.finished_at.is_(None)
    counts = dict(
        conn.execute(
            sa.select(digest_run_items.c.status, sa.func.count())
            .select_from(
                digest_run_items.join(
                    digest_runs, digest_runs.c.run_id == digest_run_items.c.run_id
                )
            )
            .where(unfinished)
            .group_by(digest_run_items.c.status)
        ).all()
    )
    subjects = GaugeMetricFamily(
        "careerplan_digest_run_subjects",
        "Subjects of unfinished digest runs, by state.",
        labels=["state"],
    )
    for state in ITEM_STATES:
        subjects.add_metric([state], counts.get(state, 0))
    yield subjects
    active = conn.execute(
        sa.select(sa.func.count()).select_from(digest_runs).where(unfinished)
    ).scalar_one()
    yield GaugeMetricFamily(
        "careerplan_digest_runs_active", "Digest runs not yet finished.", value=active
    )
