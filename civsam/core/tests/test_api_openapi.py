"""The OpenAPI document: committed, in step with the code, and following the profile's naming rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from civsam.core.management.commands.export_openapi import openapi_document

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"
CAMEL = re.compile(r"[a-z][a-zA-Z0-9]*")
HYPHENATED = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(openapi_document())


def test_committed_openapi_matches_the_code():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json is out of date: run `make openapi` and commit the result."
    )


def test_export_command_is_deterministic(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    call_command("export_openapi", str(first))
    call_command("export_openapi", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == openapi_document()


def test_served_openapi_is_the_same_document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(openapi_document())


def test_docs_page_is_served(client, db):
    assert client.get("/api/v1/docs").status_code == 200


def test_paths_and_query_parameters_are_lower_case_and_hyphenated(document):
    for path, item in document["paths"].items():
        assert path.startswith("/api/v1/")
        for segment in path.removeprefix("/api/v1/").split("/"):
            if not segment.startswith("{"):
                assert HYPHENATED.fullmatch(segment), path
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert HYPHENATED.fullmatch(parameter["name"]), (path, parameter["name"])


def test_every_operation_is_described_in_swedish_with_problem_errors(document):
    for path, item in document["paths"].items():
        for operation in item.values():
            assert operation.get("summary") and operation.get("description"), path
            assert operation["operationId"] and CAMEL.fullmatch(operation["operationId"]), path
            responses = operation["responses"]
            assert ("200" in responses or "201" in responses) and "500" in responses, path
            for status, response in responses.items():
                assert response["description"], (path, status)
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, status)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, parameter["name"])


def test_schema_properties_are_camel_case(document):
    for name, schema in document["components"]["schemas"].items():
        for prop in schema.get("properties", {}):
            assert CAMEL.fullmatch(prop), (name, prop)


def test_no_internal_or_personal_fields_in_the_schemas(document):
    text = json.dumps(document["components"]["schemas"]).lower()
    for forbidden in ("searchdocument", "search_document", "isdemo", "is_demo", "contacts", "phone"):
        assert forbidden not in text, forbidden
