"""The API benchmark's baseline: a bare Flask app doing the same SQL work by hand.

Same routes, same tables, same queries as the real API (a read: the key, the
view and the stream's last event in one statement, and when the view lags,
the views brought up to the feed under the checkpoint lock first; a command:
the key and ownership in one statement, then the stream read + event insert,
leaving the views to the next read), but no framework layers, schemas, domain
or projections. The inserted event has the domain's check-in fields (in the clear) and is chained to its predecessor by hash, as the store's trigger requires,
and a check-in that loses a race for the stream version is retried, as the API's is.
Serve with gunicorn: `gunicorn bench.bare_api:app` (reads DATABASE_URL, API_KEY_SECRET).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from datetime import datetime, timezone

import psycopg
from flask import Flask, request
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from careerplan import collector
from eventstore.chain import event_hash

app = Flask(__name__)
pool = ConnectionPool(
    os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://"),
    min_size=1,
    max_size=8,
    open=False,
)
SECRET = os.environ["API_KEY_SECRET"].encode()
RETRIES = (
    3  # a stale stream version is read again and retried, like the API's commands without If-Match
)


# Ownership as a command checks it: the view row's organisation, unless an ownership event
# is newer than the view (then from the events).
OWNER = (
    "SELECT v.organisation_id, EXISTS (SELECT 1 FROM events e WHERE e.stream_id = %s "
    "AND e.stream_version > v.version AND e.type IN ('ClientEnrolled', 'CoachReassigned')) "
    "FROM client_views v WHERE v.client_id = %s"
)
# What a read takes in one statement: the stream's last event and the view beside it.
VIEW_AND_LAST_EVENT = (
    "SELECT last.stream_version, v.organisation_id, v.version, v.view FROM "
    "(SELECT stream_version FROM events WHERE stream_id = %s ORDER BY stream_version DESC "
    "LIMIT 1) last LEFT JOIN client_views v ON v.client_id = %s"
)
# A request's first statement: the live key with the digest presented, and beside it the above (a
# read) or OWNER (a command).
BESIDE_KEY = (
    "SELECT k.organisation_id, c.* FROM api_keys k LEFT JOIN ({}) c ON true "
    "WHERE k.key_hash = %s AND k.revoked_at IS NULL"
)
KEY_AND_VIEW = BESIDE_KEY.format(VIEW_AND_LAST_EVENT)
KEY_AND_OWNER = BESIDE_KEY.format(OWNER)
FEED_BATCH = 500


def _key_digest() -> str:
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return hmac.new(SECRET, key.encode(), hashlib.sha256).hexdigest()


def _owner_from_events(conn: psycopg.Connection, stream: str):
    enrolled = conn.execute(
        "SELECT data FROM events WHERE stream_id = %s AND type = 'ClientEnrolled'", (stream,)
    ).fetchone()
    return enrolled[0]["organisation_id"] if enrolled else None


@app.get("/v1/clients/<client_id>/roadmap")
def roadmap(client_id):
    stream = f"client-{client_id}"
    with pool.connection() as conn:
        found = conn.execute(KEY_AND_VIEW, (stream, client_id, _key_digest())).fetchone()
        if found is None:
            return {"title": "unknown key"}, 401
        org, row = found[0], found[1:]
        if row[0] is not None and (
            row[2] is None or row[2] < row[0]
        ):  # the view lags: refresh, ask again
            _refresh_views(conn)
            row = conn.execute(VIEW_AND_LAST_EVENT, (stream, client_id)).fetchone()
    if row is None or row[0] is None or row[1] != org or row[3] is None:
        return {"title": "not found"}, 404
    view = row[3]
    return {
        "client_id": client_id,
        "destination": view["destination"],
        "goals": list(view["goals"]),
    }


@app.post("/v1/clients/<client_id>/goals/<goal_id>/check-ins")
def check_in(client_id, goal_id):
    body = request.get_json()
    stream = f"client-{client_id}"
    with pool.connection() as conn:
        found = conn.execute(KEY_AND_OWNER, (stream, client_id, _key_digest())).fetchone()
        if found is None:
            return {"title": "unknown key"}, 401
        org, row = found[0], found[1:]
        owner = row[0] if row[0] is not None and not row[1] else _owner_from_events(conn, stream)
        if owner != org:
            return {"title": "not found"}, 404
        version = _append_check_in(conn, stream, goal_id, body)
    return json.dumps({"client_id": client_id, "version": version}), 201


def _refresh_views(conn: psycopg.Connection) -> None:
    """The checkpoint locked, the events after it read with their clients' keys, the views moved on."""
    with conn.transaction():
        tx_id, position = conn.execute(
            "UPDATE projection_checkpoints SET name = name WHERE name = 'client_views' "
            "RETURNING tx_id, position"
        ).fetchone()
        rows = conn.execute(
            "SELECT position, tx_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, "
            "recorded_at, prev_hash, hash FROM events WHERE (tx_id, position) > (%s, %s) "
            "AND tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint ORDER BY tx_id, position LIMIT %s",
            (tx_id, position, FEED_BATCH),
        ).fetchall()
        if not rows:
            return
        latest = {
            row[2].removeprefix("client-"): row[3] for row in rows
        }  # stream id, stream version
        conn.execute(
            "SELECT client_id, wrapped_key FROM client_keys WHERE client_id = ANY(%s)",
            (list(latest),),
        )
        views = conn.execute(
            "SELECT client_id, view FROM client_views WHERE client_id = ANY(%s)", (list(latest),)
        ).fetchall()
        for _, view in views:
            view["version"] = latest[view["client_id"]]
        with conn.cursor() as cursor:
            cursor.executemany(
                "UPDATE client_views SET view = %s, version = %s WHERE client_id = %s",
                [(Jsonb(view), view["version"], client) for client, view in views],
            )
            cursor.executemany(
                "UPDATE caseload_rows SET row = row WHERE client_id = %s",
                [(client,) for client, _ in views],
            )
        conn.execute(
            "UPDATE projection_checkpoints SET tx_id = %s, position = %s, updated_at = now() "
            "WHERE name = 'client_views'",
            (rows[-1][1], rows[-1][0]),
        )


def _append_check_in(conn: psycopg.Connection, stream: str, goal_id: str, body: dict) -> int:
    """Read the stream, insert the chained event after it; on a lost race read again (as the API does)."""
    for attempt in range(RETRIES + 1):
        events = conn.execute(
            "SELECT stream_version, type, data, hash FROM events WHERE stream_id = %s "
            "ORDER BY stream_version",
            (stream,),
        ).fetchall()
        version, previous = len(events) + 1, events[-1][3] if events else None
        event_id, recorded_at = uuid.uuid4(), datetime.now(timezone.utc)
        # The fields the domain's CheckInRecorded has, so the project can replay what the baseline wrote.
        data = {
            "occurred_at": recorded_at.isoformat(),
            "goal_id": goal_id,
            "check_in_id": str(uuid.uuid4()),
            "value": float(body["value"]),
            "confidence": body["confidence"],
            "note": "",
            "corrects": None,
        }
        own = event_hash(
            previous, stream, version, event_id, "CheckInRecorded", 1, data, {}, recorded_at
        )
        try:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, "
                    "recorded_at, prev_hash, hash) VALUES (%s, %s, %s, 'CheckInRecorded', 1, %s, %s, %s, %s, %s)",
                    (stream, version, event_id, Jsonb(data), Jsonb({}), recorded_at, previous, own),
                )
            return version
        except psycopg.errors.UniqueViolation:
            if attempt == RETRIES:
                raise
    raise AssertionError("unreachable")


@app.before_request
def _open_pool():
    if pool.closed:
        pool.open()


# The collector set as the API's workers set it (careerplan/wsgi.py): the comparison is of the work per request.
collector.settle_for_serving()
