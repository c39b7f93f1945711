"""The API accepts what its document says and nothing else (issue #11).

Each rule is checked against every operation the OpenAPI document lists, so that a new operation
is held to it without a new test: OPTIONS and 405 name the methods a path really has, a JSON body
is an object of documented properties sent as application/json, and a date is an ISO 8601 date.
"""

from __future__ import annotations

import json

import pytest

from civsam.core.tests.api_support import assert_problem

from .support import operations, paths, session_client

BODY_OPERATIONS = [op for op in operations() if op.json_body]
NOT_OBJECTS = ["[]", '"text"', "3", "null", "true", "[{}]"]


def _allow(methods: set[str]) -> set[str]:
    return methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())


def _header_set(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def test_the_document_has_writes_to_check():
    assert len(BODY_OPERATIONS) >= 8
    assert {"PATCH", "PUT", "POST"} <= {op.method for op in BODY_OPERATIONS}


# --- Methods: OPTIONS answers the methods a path has; any other is a 405 naming them ---------------


@pytest.mark.parametrize(("path", "methods"), sorted(paths().items()), ids=sorted(paths()))
def test_options_answers_the_methods_the_path_really_has(client, db, path, methods):
    response = client.options(_sample(path))
    assert response.status_code == 204, response.content
    assert _header_set(response["Allow"]) == _allow(methods)
    # Other sites may call only the public methods among them, and never PATCH or PUT.
    cross_origin = _header_set(response.get("Access-Control-Allow-Methods", ""))
    assert cross_origin <= _allow(methods) - {"PATCH", "PUT"}


@pytest.mark.parametrize(("path", "methods"), sorted(paths().items()), ids=sorted(paths()))
def test_other_methods_are_405_problems_with_allow(client, db, path, methods):
    for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - methods):
        response = client.generic(method, _sample(path), "{}", content_type="application/json")
        body = assert_problem(response, 405)
        assert method in body["detail"]
        assert _header_set(response["Allow"]) == _allow(methods), (method, path)


def test_options_on_a_write_path_names_its_writes(client, db):
    assert _header_set(client.options("/api/v1/initiatives/1")["Allow"]) == {"GET", "HEAD", "OPTIONS", "PATCH", "PUT"}
    assert _header_set(client.options("/api/v1/registrations/abc")["Allow"]) == {"DELETE", "OPTIONS"}
    assert _header_set(client.options("/api/v1/initiatives")["Allow"]) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_options_on_an_unknown_path_is_a_404_problem(client, db):
    assert_problem(client.options("/api/v1/nothing-here"), 404)


def _sample(path: str) -> str:
    samples = {"{plan_id}": "2022-2025", "{code}": "1880", "{organisationsnummer}": "8020000019", "{year}": "2024"}
    for name, value in samples.items():
        path = path.replace(name, value)
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "1" + path[end + 1 :]
    return path


# --- Dates: ISO 8601, strictly ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "1", "20240101", "1700000000", "2024-13-01", "2024-02-30", "2024-01-01T00:00"])
@pytest.mark.parametrize("name", ["from", "to"])
def test_a_date_parameter_is_an_iso_date_or_a_400_naming_it(client, reference_data, name, value):
    body = assert_problem(client.get(f"/api/v1/events?{name}={value}"), 400, parameter=name)
    reason = next(p["reason"] for p in body["invalidParameters"] if p["name"] == name)
    assert "ÅÅÅÅ-MM-DD" in reason


@pytest.mark.parametrize("query", ["", "?from=2024-01-01", "?to=2024-12-31", "?from=2024-01-01&to=2024-12-31"])
def test_iso_dates_are_accepted_and_optional(client, reference_data, query):
    response = client.get(f"/api/v1/events{query}")
    assert response.status_code == 200, response.content


# --- Bodies: a JSON object of documented properties -------------------------------------------


@pytest.fixture
def admin_client(users):
    return session_client(users["admin"])


@pytest.mark.parametrize("operation", BODY_OPERATIONS, ids=str)
def test_a_body_that_is_not_an_object_is_refused(admin_client, operation):
    client, csrf = admin_client
    for raw in NOT_OBJECTS:
        response = client.generic(operation.method, operation.url(), raw, content_type="application/json", **csrf)
        assert response.status_code in (400, 422), (raw, response.status_code, response.content)
        assert_problem(response, response.status_code)


@pytest.mark.parametrize("operation", BODY_OPERATIONS, ids=str)
def test_an_unknown_body_property_is_a_400_naming_it(admin_client, operation):
    client, csrf = admin_client
    response = client.generic(
        operation.method, operation.url(), json.dumps({"colour": "red"}), content_type="application/json", **csrf
    )
    body = assert_problem(response, 400)
    assert "colour" in {p["name"] for p in body["invalidParameters"]}, body


@pytest.mark.parametrize(
    ("url", "method", "body", "name"),
    [
        ("/api/v1/events", "POST", {"title": "Möte", "startsAt": 0, "endsAt": "2026-01-01T10:00:00"}, "startsAt"),
        ("/api/v1/events", "POST", {"title": "Möte", "starts_at": "2026-01-01T09:00:00"}, "starts_at"),
        ("/api/v1/events/1", "PATCH", {"capacity": "5"}, "capacity"),
        ("/api/v1/events/1", "PATCH", {"isPublic": 1}, "isPublic"),
        ("/api/v1/initiatives/1", "PATCH", {"endDate": 0}, "endDate"),
        ("/api/v1/initiatives/1", "PATCH", {"endDate": "2026-01-01T00:00:00"}, "endDate"),
        ("/api/v1/initiatives/1", "PATCH", {"partnerOrganisationIds": [1, "1"]}, "partnerOrganisationIds[1]"),
        (
            "/api/v1/initiatives/1",
            "PATCH",
            {"milestones": [{"title": "A", "dueDate": 20260101}]},
            "milestones[0].dueDate",
        ),
    ],
)
def test_a_value_of_another_json_type_is_a_400_naming_it(admin_client, url, method, body, name):
    client, csrf = admin_client
    response = client.generic(method, url, json.dumps(body), content_type="application/json", **csrf)
    assert_problem(response, 400, parameter=name)


# --- Content type: a JSON body is sent as JSON ----------------------------------------------------


@pytest.mark.parametrize("operation", BODY_OPERATIONS, ids=str)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_json_body_in_another_content_type_is_a_415(admin_client, operation, content_type):
    client, csrf = admin_client
    response = client.generic(operation.method, operation.url(), "{}", content_type=content_type, **csrf)
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_415_is_documented_for_every_json_body():
    for operation in BODY_OPERATIONS:
        assert "415" in operation.spec["responses"], operation


def test_json_with_a_charset_or_a_json_suffix_is_json(admin_client):
    client, csrf = admin_client
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.patch("/api/v1/events/999999", "{}", content_type=content_type, **csrf)
        assert response.status_code == 404, (content_type, response.content)
