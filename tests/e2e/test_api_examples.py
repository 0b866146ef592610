"""The document's examples: one for every request body, the seed's own answers for the main reads.

A body's example is either whole (api/spec_examples.py) or field by field
(`metadata={"example": ...}` on each required field): Swagger UI composes those.
Every example must match its schema; the answer examples must be what the
service answers for the seed's client now (ids and times that differ per run
replaced by fixed ones). `UPDATE_EXAMPLES=1` rewrites api/examples.json from
the seed instead of comparing.
"""

from __future__ import annotations

import json
import os

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from seed_over_http import seed_digests_and_webhooks
from test_api_journey import drive_seed

from api import spec_examples
from api.spec_examples import CLIENT_ID

READS = {
    "getClientPlan": "/v1/clients/{client}",
    "getRoadmap": "/v1/clients/{client}/roadmap",
    "getMomentum": "/v1/clients/{client}/momentum",
    "getCaseload": "/v1/caseload",
    "getHistory": "/v1/clients/{client}/history?limit=2&order=oldest",
    "getDigest": "/v1/digests/{digest}",
    "getInsights": "/v1/insights",
}
ORGANISATION = "0b5f7c2a-3d4e-4f60-8a1b-2c3d4e5f6a7b"
PIVOT_ID = "8c2d4e6f-1a3b-4c5d-9e7f-0a1b2c3d4e5f"
TEMPLATE_ID = "5e3a1c7b-2d4f-4a6e-8b0c-9d1e2f3a4b5c"
FIXED = {
    "organisation_id": lambda n: ORGANISATION,
    "event_id": lambda n: f"00000000-0000-4000-8000-{n:012d}",
    "digest_id": lambda n: "6d1f0a3b-9c2e-4b7d-8e5f-1a2b3c4d5e6f",
    "correlation_id": lambda n: f"req-{n}",
    "actor": lambda n: "key:1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b",  # the metadata's
    "key_id": lambda n: "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b",
    "label": lambda n: "cp_AbCdEfGh",
    "recorded_at": lambda n: "2026-11-27T09:00:00.000000+00:00",
    "created_at": lambda n: "2026-12-04T09:00:00.000000+00:00",
    "hash": lambda n: f"{n:064x}",
    "prev_hash": lambda n: f"{n - 1:064x}" if n > 1 else None,
}


def fixed(value, counters=None):
    """`value` with what differs per run (organisation, event ids, times, hashes) made fixed."""
    counters = counters if counters is not None else {}
    if isinstance(value, list):
        return [fixed(item, counters) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(item, dict):  # the entry's actor as a person: its key fixed within
                out[key] = fixed(item, counters)
            elif key in FIXED and (item is not None or key == "prev_hash"):
                counters[key] = counters.get(key, 0) + 1
                out[key] = FIXED[key](counters[key])
            else:
                out[key] = fixed(item, counters)
        return out
    return value


def validator(document: dict, ref: str) -> Draft202012Validator:
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:doc", resource)
    return Draft202012Validator({"$ref": f"urn:doc#{ref[1:]}"}, registry=registry)


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, method, operation


def declares_an_example(document: dict, media: dict) -> bool:
    """An example for the whole body, or one on each required field (and at least one field)."""
    if "example" in media:
        return True
    schema = document["components"]["schemas"][media["schema"]["$ref"].split("/")[-1]]
    properties = schema.get("properties", {})
    with_example = [name for name, prop in properties.items() if "example" in prop]
    return bool(with_example) and set(schema.get("required", [])) <= set(with_example)


def test_every_request_body_has_an_example_matching_its_schema(http):
    document = http.get("/openapi.json").json
    missing, invalid = [], []
    for _, _, operation in operations(document):
        media = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if media is None:
            continue
        if not declares_an_example(document, media):
            missing.append(operation["operationId"])
        elif "example" in media:
            errors = validator(document, media["schema"]["$ref"]).iter_errors(media["example"])
            invalid += [f"{operation['operationId']}: {e.message}" for e in errors]
    assert missing == [] and invalid == []


def test_every_field_example_matches_its_field(http):
    document = http.get("/openapi.json").json
    invalid = []
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if "example" in prop:
                ref = f"#/components/schemas/{name}/properties/{field}"
                invalid += [
                    f"{name}.{field}: {e.message}"
                    for e in validator(document, ref).iter_errors(prop["example"])
                ]
    assert invalid == []


def test_the_main_answers_have_examples_matching_their_schemas(http):
    document = http.get("/openapi.json").json
    found = {}
    for _, _, operation in operations(document):
        media = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        if "example" in media:
            found[operation["operationId"]] = media
    assert set(found) >= set(READS)
    for name, media in found.items():
        errors = list(validator(document, media["schema"]["$ref"]).iter_errors(media["example"]))
        assert errors == [], (name, [e.message for e in errors][:5])


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_answer_examples_are_what_the_seed_client_gets(admin_a, services):
    drive_seed(admin_a, CLIENT_ID)
    digest = seed_digests_and_webhooks(admin_a, services, CLIENT_ID)["digest_id"]
    answers = {}
    for name, path in READS.items():
        answer = admin_a.get(path.format(client=CLIENT_ID, digest=digest))
        assert answer.status_code == 200, (name, answer.json)
        text = answer.get_data(as_text=True).replace(admin_a.organisation_id, ORGANISATION)
        answers[name] = fixed(json.loads(text))
    answers["getPivot"] = pivot_review(admin_a)
    answers["getTemplate"] = template_read(admin_a)
    if os.environ.get("UPDATE_EXAMPLES") == "1":
        text = json.dumps(answers, indent=1, ensure_ascii=False) + "\n"
        spec_examples.ANSWERS.write_text(text, encoding="utf-8")
        spec_examples.answers.cache_clear()
    stored = spec_examples.answers()
    assert {name: stored.get(name) for name in answers} == answers


def template_read(admin_a) -> dict:
    """The organisation's template as `createTemplate`'s example made it: body and versions."""
    created = admin_a.post("/v1/templates", json=spec_examples.REQUESTS["createTemplate"])
    assert created.status_code == 201, created.json
    answer = admin_a.get(created.headers["Location"])
    assert answer.status_code == 200, answer.json
    text = answer.get_data(as_text=True).replace(created.json["template_id"], TEMPLATE_ID)
    return fixed(json.loads(text.replace(admin_a.organisation_id, ORGANISATION)))


def pivot_review(admin_a) -> dict:
    """The seed client's pivot to product management, its first goal decided: what the review shows."""
    requirements = [
        {**item, "requirement_id": f"00000000-0000-4000-9000-{index:012d}"}
        for index, item in enumerate(spec_examples.PIVOT_TO_PRODUCT["requirements"])
    ]
    body = {**spec_examples.PIVOT_TO_PRODUCT, "pivot_id": PIVOT_ID, "requirements": requirements}
    path = f"/v1/clients/{CLIENT_ID}/pivots"
    assert admin_a.post(path, json=body).status_code == 201
    decision = spec_examples.REQUESTS["decidePivotItem"]
    assert admin_a.post(f"{path}/{PIVOT_ID}/decisions", json=decision).status_code == 200
    answer = admin_a.get(f"{path}/{PIVOT_ID}")
    assert answer.status_code == 200, answer.json
    return answer.json
