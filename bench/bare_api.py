"""The API benchmark's baseline: a bare Flask app doing the same SQL work by hand.

Same routes, same tables, same queries as the real API (key lookup, client
ownership, then the view read or the stream read + event insert + view and
checkpoint update), but no framework layers, schemas, domain or projections.
Serve with gunicorn: `gunicorn bench.bare_api:app` (reads DATABASE_URL, API_KEY_SECRET).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid

import psycopg
from flask import Flask, request
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

app = Flask(__name__)
pool = ConnectionPool(os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://"),
                      min_size=1, max_size=8, open=False)
SECRET = os.environ["API_KEY_SECRET"].encode()


def _caller(conn: psycopg.Connection, client_id: str):
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")
    digest = hmac.new(SECRET, key.encode(), hashlib.sha256).hexdigest()
    org = conn.execute("SELECT organisation_id FROM api_keys WHERE key_hash = %s AND revoked_at IS NULL",
                       (digest,)).fetchone()
    owner = conn.execute("SELECT data FROM events WHERE stream_id = %s AND type = 'ClientEnrolled'",
                         (f"client-{client_id}",)).fetchone()
    return org and owner and owner[0]["organisation_id"] == org[0]


@app.get("/v1/clients/<client_id>/roadmap")
def roadmap(client_id):
    with pool.connection() as conn:
        if not _caller(conn, client_id):
            return {"title": "not found"}, 404
        row = conn.execute("SELECT view FROM client_views WHERE client_id = %s", (client_id,)).fetchone()
    view = row[0]
    return {"client_id": client_id, "destination": view["destination"], "goals": list(view["goals"])}


@app.post("/v1/clients/<client_id>/goals/<goal_id>/check-ins")
def check_in(client_id, goal_id):
    body = request.get_json()
    with pool.connection() as conn:
        if not _caller(conn, client_id):
            return {"title": "not found"}, 404
        stream = f"client-{client_id}"
        events = conn.execute("SELECT stream_version, type, data FROM events WHERE stream_id = %s "
                              "ORDER BY stream_version", (stream,)).fetchall()
        with conn.transaction():
            conn.execute(
                "INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata) "
                "VALUES (%s, %s, %s, 'CheckInRecorded', 1, %s, %s)",
                (stream, len(events) + 1, uuid.uuid4(),
                 Jsonb({"goal_id": goal_id, "check_in_id": str(uuid.uuid4()), **body}), Jsonb({})),
            )
        with conn.transaction():
            conn.execute("SELECT * FROM projection_checkpoints WHERE name = 'client_views' FOR UPDATE")
            view = conn.execute("SELECT view FROM client_views WHERE client_id = %s", (client_id,)).fetchone()[0]
            view["version"] = len(events) + 1
            conn.execute("UPDATE client_views SET view = %s, version = %s WHERE client_id = %s",
                         (Jsonb(view), len(events) + 1, client_id))
    return json.dumps({"client_id": client_id, "version": len(events) + 1}), 201


@app.before_request
def _open_pool():
    if pool.closed:
        pool.open()
