"""Compose, render and store the digests of a run, subject by subject, true to the run's period.

A client's digest is composed from the client's facts that occurred by the
period's end (midnight in the organisation's time zone) as recorded now,
with the period's last day as its "today"; a client not enrolled by then
gets none. Facts back-dated into earlier periods after the previous
period's digest was made are listed as late corrections; stored digests are
never rewritten, except that a final digest replaces a provisional one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from domain.dates import end_of_day
from eventstore import EventStore, StoredEvent
from eventstore.schema import utc
from eventstore.streams import stream_id
from projections.business_time import recorded_late, view_as_on
from projections.finding_notices import Notice
from projections.upsert import insert_all_unless_present, insert_unless_present
from services import webhooks
from services.digests import (
    client_digest,
    coach_digest,
    coach_to_html,
    coach_to_markdown,
    organisation_digest,
    organisation_to_html,
    organisation_to_markdown,
    period_for,
    to_html,
    to_markdown,
)
from services.digests.coach import period_attention
from services.digests.cohort import cohort_section
from services.digests.corrections import late_corrections
from services.digests.runs import organisation_subject
from services.digests.tables import digest_run_items, digest_runs, digests
from services.jobs import outbox
from services.policies import policy_of

# Client digests read per statement while composing coach and organisation digests.
_SUBJECTS_PER_QUERY = 500


class DigestsFailed(Exception):
    """Some subjects of a chunk failed; raised so the message is retried (finished ones are skipped)."""


def generate_client_digests(
    engine: sa.Engine, store: EventStore, run_id: str, client_ids: list[str]
) -> int:
    """Digest every listed client of the run that has none yet; the number written now.

    The chunk is read, and written, together: its streams in one statement,
    its digests, webhook notices and item statuses in one transaction
    (`_store_all`). Should that transaction fail, each digest is written in
    a transaction of its own, so one bad digest fails only its own item; a
    failure to compose a digest fails only that client's item too.
    """
    run = _run(engine, run_id)
    failed: list[str] = []
    to_do = _to_do(engine, run_id, [f"client:{c}" for c in client_ids])  # one query for the chunk
    clients = [c for c in client_ids if f"client:{c}" in to_do]
    starts, ends = _bounds(engine, run)
    previous = _previous_digests(engine, run, sorted(to_do))
    read_at = datetime.now(timezone.utc)  # wall clock, as the store's recorded_at: see _store
    streams = _read_streams(store, clients)
    composed: list[_Composed] = []
    for client_id in clients:
        subject = f"client:{client_id}"
        try:
            events = streams[client_id] if client_id in streams else _read_one(store, client_id)
            composed.append(_compose(run, subject, client_id, events, starts, ends, previous))
        except Exception as error:  # noqa: BLE001 - recorded on the item, then retried as a whole
            _mark(engine, run_id, subject, "failed", f"{type(error).__name__}: {error}")
            failed.append(client_id)
    try:
        with engine.begin() as conn:
            written = _store_all(conn, run, composed, read_at)
    except Exception:  # noqa: BLE001 - written one at a time below, each failure on its item
        written = 0
        for item in composed:
            try:
                with engine.begin() as conn:
                    written += _store_all(conn, run, [item], read_at)
            except Exception as error:  # noqa: BLE001 - recorded on the item, then retried
                _mark(engine, run_id, item.subject, "failed", f"{type(error).__name__}: {error}")
                failed.append(item.subject.split(":", 1)[1])
    _after_clients(engine, run_id)
    if failed:
        raise DigestsFailed(f"{len(failed)} client digest(s) failed in run {run_id}")
    return written


@dataclass(frozen=True)
class _Composed:
    """A subject's digest and its renderings; `digest` None: nothing to store, the item is done."""

    subject: str
    digest: dict | None = None
    markdown: str = ""
    html: str = ""


def _read_streams(store: EventStore, client_ids: list[str]) -> dict[str, list[StoredEvent]]:
    """The clients' streams by client id, in one statement; {} if that read fails (each is read alone)."""
    if not client_ids:
        return {}
    try:
        read = store.read_streams([stream_id(c) for c in client_ids])
    except Exception:  # noqa: BLE001 - one client's bad stream must not fail the chunk's others
        return {}
    return {c: read[stream_id(c)] for c in client_ids}


def _read_one(store: EventStore, client_id: str) -> list[StoredEvent]:
    return store.read_stream(stream_id(client_id))


def _compose(
    run: dict,
    subject: str,
    client_id: str,
    events: list[StoredEvent],
    starts: datetime,
    ends: datetime,
    previous: dict[str, datetime],
) -> _Composed:
    """One client's digest of the run's period from their stream, rendered; none if enrolled after it."""
    view = view_as_on(client_id, events, ends)
    if view["client"]["enrolled_at"] is None:  # enrolled after the period: no digest
        return _Composed(subject)
    late = recorded_late(events, starts, previous[subject]) if subject in previous else []
    digest = client_digest(
        view,
        run["period_end"],
        run["period_start"],
        run["period_end"],
        provisional=run["provisional"],
        late_corrections=late_corrections(view, late),
    )
    return _Composed(subject, digest, to_markdown(digest), to_html(digest))


def generate_coach_digests(engine: sa.Engine, run_id: str) -> int:
    """Digest every coach of the run, then the organisation, from the period's client digests.

    A coach's digest is of the clients they coached then. The client digests
    are read a coach at a time (who coached whom comes first, without the
    digests): memory holds one caseload's digests, not the organisation's;
    the organisation's digest folds them in pages (`_organisation_digest`).
    """
    run = _run(engine, run_id)
    period = (
        digests.c.organisation_id == run["organisation_id"],
        digests.c.kind == run["kind"],
        digests.c.period_key == run["period_key"],
        digests.c.provisional == run["provisional"],
    )
    coach_of = digests.c.content["client"]["coach_id"].as_string()
    with engine.connect() as conn:
        coaches = (
            conn.execute(
                sa.select(digest_run_items.c.subject)
                .where(
                    digest_run_items.c.run_id == run_id,
                    digest_run_items.c.subject.like("coach:%"),
                    digest_run_items.c.status != "done",
                )
                .order_by(digest_run_items.c.subject)
            )
            .scalars()
            .all()
        )
        coached: dict[str, list[str]] = {}
        for subject, coach_id in conn.execute(
            sa.select(digests.c.subject, coach_of).where(
                *period, digests.c.subject.like("client:%")
            )
        ):
            coached.setdefault(coach_id, []).append(subject)
    written = 0
    for subject in coaches:
        coach_id = subject.split(":", 1)[1]
        theirs = _client_digests(engine, period, sorted(coached.get(coach_id, ())))
        with engine.begin() as conn:
            if not theirs:  # no client of theirs was enrolled by the period's end
                _done(conn, run_id, subject)
                continue
            digest = coach_digest(
                period_attention(theirs),
                theirs,
                run["period_end"],
                run["period_start"],
                run["period_end"],
                coach_id=coach_id,
                provisional=run["provisional"],
                cohort=cohort_section(
                    engine, run["organisation_id"], run["period_start"], run["period_end"], coach_id
                ),
            )
            written += _store(
                conn, run, subject, digest, coach_to_markdown(digest), coach_to_html(digest)
            )
    written += _organisation_digest(engine, run, period)
    with engine.begin() as conn:
        conn.execute(
            digest_runs.update()
            .where(digest_runs.c.run_id == run_id, digest_runs.c.finished_at.is_(None))
            .values(finished_at=sa.func.now())
        )
    return written


def _organisation_digest(engine: sa.Engine, run: dict, period: tuple) -> int:
    """Digest the organisation once per run (if the run lists it and has not made it); 1 if written now.

    The period's client digests are read `_SUBJECTS_PER_QUERY` at a time,
    after the last subject read, and folded as they come.
    """
    subject = organisation_subject(run["organisation_id"])
    if subject not in _to_do(engine, run["run_id"], [subject]):
        return 0  # made already (a redelivery), or a run from before organisation digests
    digest = organisation_digest(
        _pages_of_client_digests(engine, period),
        run["period_end"],
        run["period_start"],
        run["period_end"],
        run["organisation_id"],
        provisional=run["provisional"],
        cohort=cohort_section(
            engine, run["organisation_id"], run["period_start"], run["period_end"], None
        ),
    )
    with engine.begin() as conn:
        if not digest["clients"]["total"]:  # no client was enrolled by the period's end
            _done(conn, run["run_id"], subject)
            return 0
        return _store(
            conn,
            run,
            subject,
            digest,
            organisation_to_markdown(digest),
            organisation_to_html(digest),
        )


def _pages_of_client_digests(engine: sa.Engine, period: tuple) -> Iterator[list[dict]]:
    """The period's client digests, a page of `_SUBJECTS_PER_QUERY` at a time, in subject order."""
    after = ""
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(digests.c.subject, digests.c.content)
                .where(*period, digests.c.subject.like("client:%"), digests.c.subject > after)
                .order_by(digests.c.subject)
                .limit(_SUBJECTS_PER_QUERY)
            ).all()
        if not rows:
            return
        yield [content for _, content in rows]
        after = rows[-1].subject


def _client_digests(engine: sa.Engine, period: tuple, subjects: list[str]) -> list[dict]:
    """The contents of these subjects' digests of the period, in subject order."""
    found = []
    with engine.connect() as conn:
        for start in range(0, len(subjects), _SUBJECTS_PER_QUERY):
            found += conn.execute(
                sa.select(digests.c.content)
                .where(
                    *period, digests.c.subject.in_(subjects[start : start + _SUBJECTS_PER_QUERY])
                )
                .order_by(digests.c.subject)
            ).scalars()
    return found


def _bounds(engine: sa.Engine, run: dict) -> tuple[datetime, datetime]:
    """(first instant, last instant) of the run's period, in UTC, by the organisation's time zone."""
    with engine.connect() as conn:
        zone = policy_of(conn, run["organisation_id"]).timezone
    first = end_of_day(run["period_start"] - timedelta(days=1), zone) + timedelta(microseconds=1)
    return first, end_of_day(run["period_end"], zone)


def _previous_digests(engine: sa.Engine, run: dict, subjects: list[str]) -> dict[str, datetime]:
    """When each subject's digest of the period before the run's was made (those that have one)."""
    _, _, key = period_for(run["kind"], run["period_start"])
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(digests.c.subject, digests.c.created_at).where(
                digests.c.organisation_id == run["organisation_id"],
                digests.c.kind == run["kind"],
                digests.c.period_key == key,
                digests.c.subject.in_(subjects),
            )
        ).all()
    return {subject: utc(created_at) for subject, created_at in rows}


def _after_clients(engine: sa.Engine, run_id: str) -> None:
    """Once no client item is pending, enqueue the coach digests (exactly once per run)."""
    with engine.begin() as conn:
        # Whether any is pending, not how many: every chunk asks, and a count would read
        # the run's pending items each time (quadratic in the run's size). The first one
        # in the order of ix_digest_run_items_status (migration 0016) is one index entry.
        pending = conn.execute(
            sa.select(digest_run_items.c.subject)
            .where(
                digest_run_items.c.run_id == run_id,
                digest_run_items.c.status == "pending",
                digest_run_items.c.subject.like("client:%"),
            )
            .order_by(digest_run_items.c.status, digest_run_items.c.subject)
            .limit(1)
        ).first()
        if pending:
            return
        claimed = conn.execute(
            digest_runs.update()
            .where(digest_runs.c.run_id == run_id, digest_runs.c.clients_finished_at.is_(None))
            .values(clients_finished_at=sa.func.now())
        ).rowcount
        if claimed:
            outbox.record(conn, "generate_coach_digests", "digests", run_id=run_id)


def _store(
    conn,
    run,
    subject: str,
    content: dict,
    markdown: str,
    html: str,
    read_at: datetime | None = None,
) -> int:
    """Write the subject's digest of the period unless one is stored; a final run replaces a provisional one.

    `created_at` is when the facts were read (to the microsecond, by the
    same wall clock as the store's `recorded_at`): the next period's late
    corrections are the facts recorded after it.
    """
    row = _row(run, subject, content, markdown, html, read_at)
    inserted = insert_unless_present(conn, digests, row)
    if not inserted and not run["provisional"]:
        inserted = _replace(conn, run, row)
    if inserted:
        webhooks.notify_all(conn, [_notice(run, row)])
    _done(conn, run["run_id"], subject)
    return int(inserted)


def _store_all(conn: sa.Connection, run: dict, items: list[_Composed], read_at: datetime) -> int:
    """Store a chunk's digests as `_store` stores each one, in a few statements; the number written.

    One multi-row insert (a subject digested already is left as it is), the
    replacement of provisional digests by a final run's (per subject, as in
    `_store`: rare), the notices of those written (the organisation's
    endpoints read once), and every item marked done in one update.
    """
    rows = {
        item.subject: _row(run, item.subject, item.digest, item.markdown, item.html, read_at)
        for item in items
        if item.digest is not None
    }
    inserted = insert_all_unless_present(conn, digests, list(rows.values()), digests.c.subject)
    written = [
        subject
        for subject, row in rows.items()
        if subject in inserted or (not run["provisional"] and _replace(conn, run, row))
    ]
    webhooks.notify_all(conn, [_notice(run, rows[subject]) for subject in written])
    if items:
        conn.execute(
            digest_run_items.update()
            .where(
                digest_run_items.c.run_id == run["run_id"],
                digest_run_items.c.subject.in_([item.subject for item in items]),
            )
            .values(status="done", error=None, updated_at=sa.func.now())
        )
    return len(written)


def _row(
    run: dict,
    subject: str,
    content: dict,
    markdown: str,
    html: str,
    read_at: datetime | None,
) -> dict:
    """The row of the subject's digest of the run's period, under a new id."""
    return {
        "digest_id": str(uuid.uuid4()),
        "organisation_id": run["organisation_id"],
        "subject": subject,
        "kind": run["kind"],
        "period_key": run["period_key"],
        "content": content,
        "markdown": markdown,
        "html": html,
        "provisional": run["provisional"],
        "created_at": read_at or datetime.now(timezone.utc),
    }


def _replace(conn: sa.Connection, run: dict, row: dict) -> bool:
    """Replace the subject's provisional digest of the period by `row`; False when it has none."""
    return (
        conn.execute(
            digests.update()
            .where(
                digests.c.organisation_id == run["organisation_id"],
                digests.c.subject == row["subject"],
                digests.c.kind == run["kind"],
                digests.c.period_key == run["period_key"],
                digests.c.provisional.is_(True),
            )
            .values(**row)
        ).rowcount
        > 0
    )


def _notice(run: dict, row: dict) -> Notice:
    """The `digest.ready` webhook notice of a digest written."""
    return Notice(
        run["organisation_id"],
        "digest.ready",
        f"digest:{row['digest_id']}",
        {
            "digest_id": row["digest_id"],
            "subject": row["subject"],
            "kind": run["kind"],
            "period_key": run["period_key"],
            "provisional": run["provisional"],
        },
    )


def _done(conn: sa.Connection, run_id: str, subject: str) -> None:
    conn.execute(
        digest_run_items.update()
        .where(digest_run_items.c.run_id == run_id, digest_run_items.c.subject == subject)
        .values(status="done", error=None, updated_at=sa.func.now())
    )


def _mark(engine: sa.Engine, run_id: str, subject: str, status: str, error: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            digest_run_items.update()
            .where(digest_run_items.c.run_id == run_id, digest_run_items.c.subject == subject)
            .values(status=status, error=error, updated_at=sa.func.now())
        )


def _to_do(engine: sa.Engine, run_id: str, subjects: list[str]) -> set[str]:
    """Which of `subjects` the run still has to digest.

    Not those it finished already (a redelivery skips them), nor those no
    longer in the run (a client forgotten since: their item was purged).
    """
    with engine.connect() as conn:
        return set(
            conn.execute(
                sa.select(digest_run_items.c.subject).where(
                    digest_run_items.c.run_id == run_id,
                    digest_run_items.c.subject.in_(subjects),
                    digest_run_items.c.status != "done",
                )
            ).scalars()
        )


def _run(engine: sa.Engine, run_id: str) -> dict:
    with engine.connect() as conn:
        return dict(
            conn.execute(sa.select(digest_runs).where(digest_runs.c.run_id == run_id))
            .mappings()
            .one()
        )
