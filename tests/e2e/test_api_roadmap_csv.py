"""Over HTTP: the roadmap as the seed's table in CSV (`?format=csv`), within its tenant."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from test_api_journey import drive_seed
from test_api_problems import assert_problem


@pytest.fixture
def client(admin_a) -> str:
    client = str(uuid.uuid4())
    drive_seed(admin_a, client)
    return client


def test_the_roadmap_as_the_seed_s_table_in_csv(admin_a, admin_b, client):
    path = f"/v1/clients/{client}/roadmap"
    response = admin_a.get(path, query_string={"format": "csv", "today": "2026-11-27"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["timeframe"], r["goal"][:25]) for r in rows] == [
        ("next 3 months", "Complete one advanced cou"),
        ("3–12 months", "Lead one feature end-to-e"),
        ("year 2", "Mentor a junior engineer "),
        ("years 3–4", "Drive a technical initiat"),
    ]
    assert rows[0]["how it leads"].startswith("Builds technical depth")
    assert rows[0]["due on"] == "2027-02-27" and rows[0]["status"] == "active"
    assert admin_a.get(path).mimetype == "application/json"
    assert_problem(admin_b.get(path, query_string={"format": "csv"}), 404, "client_not_found")
    assert_problem(admin_a.get(path, query_string={"format": "xls"}), 422, "validation_failed")
