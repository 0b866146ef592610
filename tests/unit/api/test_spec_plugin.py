"""Which error answers an operation declares follows from what it takes (api.spec_plugin)."""

from __future__ import annotations

from api.spec_nullable import split_nullable_enums
from api.spec_plugin import OperationsPlugin, error_statuses


def test_a_read_of_a_named_resource_may_be_401_404_or_429():
    assert error_statuses("/v1/clients/{client_id}", "get", {}) == [401, 404, 429]


def test_a_read_with_query_parameters_is_validated():
    query = {"parameters": [{"in": "query", "name": "today"}]}
    assert error_statuses("/v1/caseload", "get", query) == [401, 422, 429]


def test_a_read_that_needs_a_role_may_be_403():
    assert 403 in error_statuses("/v1/keys", "get", {"operationId": "listKeys"})


def test_a_command_with_a_body_and_if_match_declares_every_refusal():
    command = {"requestBody": {}, "parameters": ["IfMatch", "IdempotencyKey"]}
    assert error_statuses("/v1/clients/{client_id}/goals", "post", command) == [
        400,
        401,
        403,
        404,
        409,
        412,
        415,
        422,
        429,
    ]


def test_outside_v1_nothing_is_added():
    assert error_statuses("/health", "get", {}) == []


def test_the_plugin_keeps_what_an_operation_declares_and_merges_other_content():
    operations = {
        "get": {
            "operationId": "getThing",
            "responses": {"200": {"content": {"application/json": {}}}, "404": "MINE"},
            "x-alternative-content": {"200": {"text/html": {"schema": {"type": "string"}}}},
        }
    }
    OperationsPlugin().operation_helper(path="/v1/things/{thing_id}", operations=operations)
    responses = operations["get"]["responses"]
    assert responses["404"] == "MINE" and responses["401"] == "UNAUTHORIZED"
    assert list(responses["200"]["content"]) == ["application/json", "text/html"]
    assert "x-alternative-content" not in operations["get"]
    assert responses["304"]["description"].startswith("Not Modified")


def test_a_nullable_enum_becomes_an_enum_or_null():
    schema = {"type": ["string", "null"], "enum": ["a", "b", None], "default": None}
    assert split_nullable_enums({"properties": {"kind": schema}}) == {
        "properties": {
            "kind": {
                "anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}],
                "default": None,
            }
        }
    }
