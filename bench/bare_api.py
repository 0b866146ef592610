"""The API benchmark's baseline: a bare Flask app doing the same SQL work by hand.

Same routes, same tables, same queries as the real API (key lookup, client
ownership with the view read in the same statement, or ownership then the stream
read + event insert + view and checkpoint update), but no framework layers,
schemas, domain or projections. The
inserted event is chained to its predecessor by hash, as the store's trigger requires,
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

from eventstore.chain import event_hash

app = Flask(__name__)
pool = ConnectionPool(os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://"),
                      min_size=1, max_size=8, open=False)
SECRET = os.environ["API_KEY_SECRET"].encode()
RETRIES = 3  # a stale stream version is read again and retried, like the API's commands without If-Match


# Ownership as the API reads it: the view row's organisation, unless an ownership event is newer
# than the view (then from the events); a read takes the view in the same statement.
OWNER = ("SELECT v.organisation_id, EXISTS (SELECT 1 FROM events e WHERE e.stream_id = %s "
         "AND e.stream_version > v.version AND e.type IN ('ClientEnrolled', 'CoachReassigned')){view} "
         "FROM client_views v WHERE v.client_id = %s")


def _caller(conn: psycopg.Connection, client_id: str, read_view: bool = False):
    """(allowed, view): the key's organisation owns the client; the view too when asked for."""
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")
    digest = hmac.new(SECRET, key.encode(), hashlib.sha256).hexdigest()
    org = conn.execute("SELECT organisation_id FROM api_keys WHERE key_hash = %s AND revoked_at IS NULL",
                       (digest,)).fetchone()
    stream = f"client-{client_id}"
    row = conn.execute(OWNER.format(view=", v.view" if read_view else ""), (stream, client_id)).fetchone()
    owner = row[0] if row and not row[1] else None
    if owner is None:
        enrolled = conn.execute("SELECT data FROM events WHERE stream_id = %s AND type = 'ClientEnrolled'",
                                (stream,)).fetchone()
        owner = enrolled[0]["organisation_id"] if enrolled else None
    return bool(org and owner == org[0]), row[2] if read_view and row else None


@app.get("/v1/clients/<client_id>/roadmap")
def roadmap(client_id):
    with pool.connection() as conn:
        allowed, view = _caller(conn, client_id, read_view=True)
    if not allowed or view is None:
        return {"title": "not found"}, 404
    return {"client_id": client_id, "destination": view["destination"], "goals": list(view["goals"])}


@app.post("/v1/clients/<client_id>/goals/<goal_id>/check-ins")
def check_in(client_id, goal_id):
    body = request.get_json()
    with pool.connection() as conn:
        if not _caller(conn, client_id)[0]:
            return {"title": "not found"}, 404
        version = _append_check_in(conn, f"client-{client_id}", goal_id, body)
        with conn.transaction():
            conn.execute("SELECT * FROM projection_checkpoints WHERE name = 'client_views' FOR UPDATE")
            view = conn.execute("SELECT view FROM client_views WHERE client_id = %s", (client_id,)).fetchone()[0]
            view["version"] = version
            conn.execute("UPDATE client_views SET view = %s, version = %s WHERE client_id = %s",
                         (Jsonb(view), version, client_id))
    return json.dumps({"client_id": client_id, "version": version}), 201


def _append_check_in(conn: psycopg.Connection, stream: str, goal_id: str, body: dict) -> int:
    """Read the stream, insert the chained event after it; on a lost race read again (as the API does)."""
    for attempt in range(RETRIES + 1):
        events = conn.execute("SELECT stream_version, type, data, hash FROM events WHERE stream_id = %s "
                              "ORDER BY stream_version", (stream,)).fetchall()
        version, previous = len(events) + 1, events[-1][3] if events else None
        event_id, recorded_at = uuid.uuid4(), datetime.now(timezone.utc)
        data = {"goal_id": goal_id, "check_in_id": str(uuid.uuid4()), **body}
        own = event_hash(previous, stream, version, event_id, "CheckInRecorded", 1, data, {}, recorded_at)
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
