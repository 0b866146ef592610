"""Every date-time an answer carries is RFC 3339 with an offset, over a real journey's answers."""

from __future__ import annotations

import re
import uuid

from conftest import NOW
from seed_over_http import seed_digests_and_webhooks, seed_requests

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def date_times(value, where: str = ""):
    """(where, text) of every string in a JSON value that looks like a date-time."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from date_times(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from date_times(item, f"{where}[{index}]")
    elif isinstance(value, str) and DATE_TIME.match(value):
        yield where, value


def test_every_date_time_of_a_journey_s_answers_has_an_offset(admin_a, services):
    client = str(uuid.uuid4())
    for method, path, body in seed_requests(client, "coach-1", NOW.date()):
        assert admin_a.request(method, path, json=body).status_code in (200, 201)
    checked = admin_a.post(f"/v1/clients/{client}/alignment-checks")
    assert checked.status_code == 201, checked.json
    ids = seed_digests_and_webhooks(admin_a, services, client)
    base = f"/v1/clients/{client}"
    first_event = admin_a.get(f"{base}/history", query_string={"limit": 1}).json["items"][0]

    paths = [
        base,
        f"{base}/roadmap",
        f"{base}/momentum",
        f"{base}/history",
        f"{base}/findings",
        f"{base}/as-of?known_at={first_event['recorded_at'].replace('+', '%2B')}",
        "/v1/caseload",
        "/v1/digests",
        f"/v1/digests/{ids['digest_id']}",
        "/v1/digest-runs",
        f"/v1/digest-runs/{ids['run_id']}",
        "/v1/keys",
        "/v1/webhooks",
        f"/v1/webhooks/{ids['endpoint_id']}/deliveries",
    ]
    seen, missing = 0, []
    for path in paths:
        answer = admin_a.get(path)
        assert answer.status_code == 200, (path, answer.json)
        for where, text in date_times(answer.json, path):
            seen += 1
            if not WITH_OFFSET.match(text):
                missing.append((where, text))
    assert missing == []
    assert seen > 30  # the journey's answers are full of instants
