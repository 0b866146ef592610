"""The served OpenAPI document: bearer security, problem+json errors, documented headers, a docs page."""

from __future__ import annotations

import re
import warnings

from api import create_app


def test_the_document_describes_security_errors_and_headers(http):
    document = http.get("/openapi.json").json
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: `cp_…`",
    }
    assert document["security"] == [{"bearer": []}]
    assert document["paths"]["/health"]["get"]["security"] == []

    enrol = document["paths"]["/v1/clients"]["post"]
    assert {"$ref": "#/components/parameters/IdempotencyKey"} in enrol["parameters"]
    assert enrol["summary"].startswith("Enrol a client")
    assert "ETag" in enrol["responses"]["201"]["headers"]
    error = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert list(error) == ["application/problem+json"]
    assert error["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_a_docs_page_is_served(http):
    page = http.get("/docs")
    assert page.status_code == 200 and b"swagger-ui" in page.data


OPERATION_ID = re.compile(r"^[a-z][a-zA-Z]+$")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations(document: dict):
    """(method, path, operation) for every operation of `document`."""
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def test_every_operation_has_a_unique_camel_case_operation_id(http):
    document = http.get("/openapi.json").json
    ids = [op.get("operationId") for _, _, op in operations(document)]
    unnamed = [f"{m.upper()} {p}" for m, p, op in operations(document) if "operationId" not in op]
    assert unnamed == []
    assert [i for i in ids if not OPERATION_ID.match(i)] == []
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_schema_has_a_name_of_its_own(services):
    """Two schemas sharing a class name would be renamed silently (`Name1`) in the document."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_app(services=services).test_client().get("/openapi.json")
    assert [str(w.message) for w in caught if "Multiple schemas" in str(w.message)] == []
