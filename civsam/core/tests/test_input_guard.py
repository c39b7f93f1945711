"""The input guard: the findings of issue #11 one by one (tests/ops/test_hostile_input.py walks
every URL and API operation with the same inputs)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, connection, transaction
from django.test import RequestFactory

from civsam.core.input_guard import InputGuardMiddleware

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_nul_in_a_path_is_a_bad_request(client):
    page = client.get("/organisationer/a%00/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in page["Content-Security-Policy"]  # refusals carry the policy too
    _problem(client.get("/api/v1/plans/a%00"), 400)


def test_an_integer_beyond_64_bits_in_a_path_is_not_found(client):
    assert client.get("/organisationer/99999999999999999999/").status_code == 404
    assert client.get("/evenemang/18446744073709551616/").status_code == 404
    _problem(client.get("/api/v1/initiatives/99999999999999999999"), 404)


def test_nul_in_the_query_names_the_parameter(client):
    assert client.get("/organisationer/", {"q": "a\x00"}).status_code == 400
    body = _problem(client.get("/api/v1/organisations", {"q": "förening\x00"}), 400)
    assert body["invalidParameters"][0]["name"] == "q" and "value" not in body["invalidParameters"][0]


def test_nul_in_a_cookie_is_refused_before_the_session_is_read(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/organisationer/").status_code == 400


def test_json_bodies_with_nul_or_huge_numbers_name_the_field(client):
    body = {"title": "ok", "milestones": [{"title": "a\u0000b"}], "parentId": 2**64}
    response = client.post("/api/v1/initiatives", json.dumps(body), content_type="application/json")
    problems = {p["name"]: p["reason"] for p in _problem(response, 400)["invalidParameters"]}
    assert set(problems) == {"milestones[0].title", "parentId"}
    # The body is checked whatever type it claims, because the API reads it as JSON anyway.
    raw = '{"name": "a\\u0000"}'
    _problem(client.post("/api/v1/social-value/calculations", raw, content_type="text/plain"), 400)


def test_form_fields_with_nul_are_refused(client):
    assert client.post("/konto/logga-in/", {"username": "region\x00", "password": "x"}).status_code == 400
    upload = SimpleUploadedFile("register.csv", b"orgnr;namn\n")
    assert client.post("/konto/logga-in/", {"username": "region", "note": "a\x00", "file": upload}).status_code == 400


def test_bodies_over_the_limit_are_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = _problem(client.post("/api/v1/initiatives", b"x" * 1025, content_type="application/json"), 413)
    assert body["title"] == "Begäran är för stor"
    page = client.post("/organisationer/ny/", {"name": "x" * 2000})
    assert page.status_code == 413 and "för stor" in page.content.decode()
    # A file to import may be larger than a form, up to the import limit.
    settings.IMPORT_MAX_BYTES = 4096
    upload = SimpleUploadedFile("register.csv", b"orgnr;namn\n" * 300)
    assert client.post("/organisationer/importera/", {"file": upload}).status_code != 413


def _database_error() -> Exception:
    """A real exception from this database for a value that does not fit it: SQLite cannot bind
    an integer beyond 64 bits, PostgreSQL refuses one beyond a column's type."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT %s", [2**64])
            else:
                cursor.execute("SELECT %s::integer", [2**40])
    except (OverflowError, DataError) as exc:
        return exc
    pytest.fail("the database took the value")


def test_what_does_not_fit_the_database_is_a_bad_request_not_a_server_error():
    exc = _database_error()
    middleware = InputGuardMiddleware(lambda r: None)
    page = middleware.process_exception(RequestFactory().get("/organisationer/", {"year": "1"}), exc)
    assert page.status_code == 400
    api = middleware.process_exception(RequestFactory().get("/api/v1/indicators"), exc)
    assert api.status_code == 400 and api["Content-Type"] == PROBLEM
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("a bug")) is None
