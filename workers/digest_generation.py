"""Compose, render and store the digests of a run, subject by subject."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from projections import queries
from projections.digest import client_digest, coach_digest, coach_to_html, coach_to_markdown, to_html, to_markdown
from projections.upsert import insert_unless_present
from workers import outbox, webhooks
from workers.digest_runs import digest_day
from workers.tables import digest_run_items, digest_runs, digests


class DigestsFailed(Exception):
    """Some subjects of a chunk failed; raised so the message is retried (finished ones are skipped)."""


def generate_client_digests(engine: sa.Engine, run_id: str, client_ids: list[str]) -> int:
    """Digest every listed client of the run that has none yet; the number written now."""
    run = _run(engine, run_id)
    written, failed = 0, []
    to_do = _to_do(engine, run_id, [f"client:{c}" for c in client_ids])  # one query for the chunk
    for client_id in client_ids:
        subject = f"client:{client_id}"
        if subject not in to_do:
            continue
        try:
            with engine.begin() as conn:
                view = queries.client_view(conn, run["organisation_id"], client_id)
                if view is None:
                    raise LookupError(f"no view of client {client_id}")
                digest = client_digest(view, digest_day(run["period_end"]), run["period_start"], run["period_end"])
                written += _store(conn, run, subject, digest, to_markdown(digest), to_html(digest))
        except Exception as error:  # noqa: BLE001 - recorded on the item, then retried as a whole
            _mark(engine, run_id, subject, "failed", f"{type(error).__name__}: {error}")
            failed.append(client_id)
    _after_clients(engine, run_id)
    if failed:
        raise DigestsFailed(f"{len(failed)} client digest(s) failed in run {run_id}")
    return written


def generate_coach_digests(engine: sa.Engine, run_id: str) -> int:
    """Digest every coach of the run's organisation from the caseload and the clients' digests."""
    run = _run(engine, run_id)
    today = digest_day(run["period_end"])
    with engine.connect() as conn:
        coaches = conn.execute(
            sa.select(digest_run_items.c.subject).where(
                digest_run_items.c.run_id == run_id, digest_run_items.c.subject.like("coach:%"),
                digest_run_items.c.status != "done",
            )
        ).scalars().all()
    written = 0
    for subject in coaches:
        coach_id = subject.split(":", 1)[1]
        with engine.begin() as conn:
            entries = queries.caseload_of(conn, run["organisation_id"], today, coach_id=coach_id)
            clients = [f"client:{e['client_id']}" for e in entries]
            stored = conn.execute(
                sa.select(digests.c.content).where(
                    digests.c.organisation_id == run["organisation_id"], digests.c.kind == run["kind"],
                    digests.c.period_key == run["period_key"], digests.c.subject.in_(clients),
                )
            ).scalars().all()
            digest = coach_digest(entries, list(stored), today, run["period_start"], run["period_end"],
                                  coach_id=coach_id)
            written += _store(conn, run, subject, digest, coach_to_markdown(digest), coach_to_html(digest))
    with engine.begin() as conn:
        conn.execute(digest_runs.update().where(
            digest_runs.c.run_id == run_id, digest_runs.c.finished_at.is_(None)
        ).values(finished_at=sa.func.now()))
    return written


def _after_clients(engine: sa.Engine, run_id: str) -> None:
    """Once no client item is pending, enqueue the coach digests (exactly once per run)."""
    with engine.begin() as conn:
        pending = conn.execute(
            sa.select(sa.func.count()).select_from(digest_run_items).where(
                digest_run_items.c.run_id == run_id, digest_run_items.c.subject.like("client:%"),
                digest_run_items.c.status == "pending",
            )
        ).scalar_one()
        if pending:
            return
        claimed = conn.execute(digest_runs.update().where(
            digest_runs.c.run_id == run_id, digest_runs.c.clients_finished_at.is_(None)
        ).values(clients_finished_at=sa.func.now())).rowcount
        if claimed:
            outbox.record(conn, "generate_coach_digests", "digests", run_id=run_id)


def _store(conn, run, subject: str, content: dict, markdown: str, html: str) -> int:
    digest_id = str(uuid.uuid4())
    inserted = insert_unless_present(conn, digests, {
        "digest_id": digest_id, "organisation_id": run["organisation_id"], "subject": subject,
        "kind": run["kind"], "period_key": run["period_key"], "content": content,
        "markdown": markdown, "html": html,
    })
    if inserted:
        webhooks.notify(conn, run["organisation_id"], "digest.ready", f"digest:{digest_id}", {
            "digest_id": digest_id, "subject": subject, "kind": run["kind"], "period_key": run["period_key"],
        })
    conn.execute(digest_run_items.update().where(
        digest_run_items.c.run_id == run["run_id"], digest_run_items.c.subject == subject
    ).values(status="done", error=None, updated_at=sa.func.now()))
    return int(inserted)


def _mark(engine: sa.Engine, run_id: str, subject: str, status: str, error: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(digest_run_items.update().where(
            digest_run_items.c.run_id == run_id, digest_run_items.c.subject == subject
        ).values(status=status, error=error, updated_at=sa.func.now()))


def _to_do(engine: sa.Engine, run_id: str, subjects: list[str]) -> set[str]:
    """Which of `subjects` the run still has to digest.

    Not those it finished already (a redelivery skips them), nor those no
    longer in the run (a client forgotten since: their item was purged).
    """
    with engine.connect() as conn:
        return set(conn.execute(sa.select(digest_run_items.c.subject).where(
            digest_run_items.c.run_id == run_id, digest_run_items.c.subject.in_(subjects),
            digest_run_items.c.status != "done",
        )).scalars())


def _run(engine: sa.Engine, run_id: str) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(digest_runs).where(digest_runs.c.run_id == run_id)).mappings().one())
