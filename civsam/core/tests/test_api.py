"""The API's common ground: api-info, municipalities, paging, problem details, the HTTP edge."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.core.models import Municipality

from .api_support import assert_problem, items

LISTS = ["/api/v1/municipalities", "/api/v1/organisations", "/api/v1/plans"]


@pytest.fixture
def api_client(reference_data):
    return Client()


# --- api-info ------------------------------------------------------------------------------------


def test_api_info_describes_the_api_per_digg_profile(api_client):
    response = api_client.get("/api/v1/api-info")
    assert response.status_code == 200
    body = response.json()
    assert body["apiName"] == "Civsam API"
    assert re.fullmatch(r"\d+\.\d+\.\d+", body["apiVersion"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["apiReleased"])
    assert body["apiStatus"] == "active"
    assert body["apiDocumentation"] == "http://testserver/api/v1/docs"
    assert body["apiSpecification"] == "http://testserver/api/v1/openapi.json"
    assert body["contact"]["name"] == "Region Örebro län"
    assert all(re.fullmatch(r"[a-z][a-zA-Z]*", key) for key in body)


def test_api_info_takes_no_parameters(api_client):
    assert_problem(api_client.get("/api/v1/api-info?format=xml"), 400, parameter="format")


def test_json_is_utf8_without_escapes(api_client):
    response = api_client.get("/api/v1/municipalities?limit=100")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Örebro".encode() in response.content
    assert b"\\u00d6" not in response.content


# --- municipalities ------------------------------------------------------------------------------


def test_municipalities_lists_the_twelve_with_population_date_and_source(api_client):
    response = api_client.get("/api/v1/municipalities?limit=100")
    rows = items(response)
    assert [r["code"] for r in rows] == list(
        Municipality.objects.filter(county_code="18").order_by("name").values_list("code", flat=True)
    )
    assert len(rows) == 12
    assert sum(r["population"]["count"] for r in rows) == 308116
    orebro = next(r for r in rows if r["code"] == "1880")
    assert orebro == {
        "code": "1880",
        "name": "Örebro",
        "county": {"code": "18", "name": "Örebro län"},
        "population": {
            "count": 159348,
            "date": "2023-12-31",
            "source": Municipality.objects.get(code="1880").population_source,
        },
    }
    assert orebro["population"]["source"]
    assert response.json()["pagination"] == {
        "page": 1,
        "limit": 100,
        "totalCount": 12,
        "totalCountExact": True,
        "totalPages": 1,
    }


def test_municipality_by_code(api_client):
    assert api_client.get("/api/v1/municipalities/1881").json()["name"] == "Kumla"
    body = assert_problem(api_client.get("/api/v1/municipalities/9999"), 404)
    assert "9999" in body["detail"]


# --- paging --------------------------------------------------------------------------------------


def test_pages_cover_the_collection_once_with_links_and_link_header(api_client):
    seen = []
    url = "/api/v1/municipalities?limit=5"
    pages = 0
    while url:
        response = api_client.get(url)
        body = response.json()
        seen += [r["code"] for r in body["items"]]
        pages += 1
        assert body["pagination"]["totalCount"] == 12
        assert body["pagination"]["totalPages"] == 3
        assert body["links"]["first"].endswith("limit=5&page=1")
        assert body["links"]["last"].endswith("limit=5&page=3")
        link = response["Link"]
        assert f'<{body["links"]["first"]}>; rel="first"' in link
        if body["links"]["next"]:
            assert f'<{body["links"]["next"]}>; rel="next"' in link
        else:
            assert 'rel="next"' not in link
        url = body["links"]["next"]
    assert pages == 3
    assert sorted(seen) == sorted(Municipality.objects.values_list("code", flat=True))
    assert len(seen) == len(set(seen))


def test_default_page_is_first_with_limit_20(api_client):
    body = api_client.get("/api/v1/municipalities").json()
    assert body["pagination"] == {"page": 1, "limit": 20, "totalCount": 12, "totalCountExact": True, "totalPages": 1}
    assert body["links"]["prev"] is None
    assert body["links"]["next"] is None


def test_page_after_the_last_is_empty_not_an_error(api_client):
    response = api_client.get("/api/v1/municipalities?limit=5&page=4")
    assert items(response) == []
    body = response.json()
    assert body["pagination"]["totalPages"] == 3
    assert body["links"]["prev"].endswith("page=3")
    assert body["links"]["next"] is None
    # A page far beyond never turns into an OFFSET the database cannot take.
    assert items(api_client.get(f"/api/v1/municipalities?page={10**30}")) == []


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=101", "limit"),
        ("limit=1000", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.5", "limit"),
        ("limit=", "limit"),
        ("page=0", "page"),
        ("page=-2", "page"),
        ("page=abc", "page"),
        ("pagesize=10", "pagesize"),
        ("offset=10", "offset"),
    ],
)
def test_bad_paging_is_a_400_problem_naming_the_parameter(api_client, url, query, parameter):
    assert_problem(api_client.get(f"{url}?{query}"), 400, parameter=parameter)


def test_limit_boundaries_are_accepted(api_client):
    assert len(items(api_client.get("/api/v1/municipalities?limit=1"))) == 1
    assert len(items(api_client.get("/api/v1/municipalities?limit=100"))) == 12


def test_every_bad_parameter_is_reported_at_once(api_client):
    body = assert_problem(api_client.get("/api/v1/municipalities?limit=abc&page=0"), 400)
    assert {p["name"] for p in body["invalidParameters"]} == {"limit", "page"}
    assert {p["value"] for p in body["invalidParameters"]} == {"abc", "0"}
    assert body["title"] == "Felaktig begäran"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.text(max_size=8), page=st.text(max_size=8))
def test_any_paging_input_gives_a_page_or_a_400_never_a_500(api_client, limit, page):
    response = api_client.get("/api/v1/municipalities", {"limit": limit, "page": page})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert_problem(response, 400)
    else:
        assert int(limit) in range(1, 101) and int(page) >= 1


# --- unknown paths, methods, server errors -------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v1/",
        "/api/v1/organisations/",
        "/api/v1/organisations/8020000019/contacts",
        "/api/v1/Organisations",
        "/api/v2/organisations",
        "/api/",
    ],
)
def test_unknown_api_paths_are_404_problems(api_client, path):
    response = api_client.get(path)
    body = assert_problem(response, 404)
    assert body["title"] == "Resursen finns inte"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/api/v1/organisations", "/api/v1/plans/2022-2025", "/api/v1/openapi.json"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405_problems_even_with_csrf_checks(reference_data, path, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path)
    body = assert_problem(response, 405)
    assert method.upper() in body["detail"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_head_answers_like_get_without_a_body(api_client):
    get = api_client.get("/api/v1/plans")
    head = api_client.head("/api/v1/plans")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == len(get.content)


def test_unexpected_errors_are_500_problems_without_internals(api_client, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("civsam.core.api.county_municipalities", broken)
    for debug in (False, True):
        settings.DEBUG = debug
        response = api_client.get("/api/v1/municipalities")
        body = assert_problem(response, 500)
        assert body["title"] == "Internt serverfel"
        assert "secret" not in response.content.decode()
        assert "RuntimeError" not in response.content.decode()


# --- CORS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/api-info", "/api/v1/organisations", "/api/v1/plans?limit=abc"])
def test_reads_are_open_to_any_origin_without_credentials(api_client, path):
    response = api_client.get(path, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {"Link", "ETag"} <= {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_allows_get(api_client):
    response = api_client.options(
        "/api/v1/organisations",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept-language",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Allow-Headers"] == "accept-language"


def test_html_pages_get_no_cors_header(api_client):
    assert "Access-Control-Allow-Origin" not in api_client.get("/")


def test_problem_json_is_valid_utf8_json(api_client):
    response = api_client.get("/api/v1/organisations?legal_form=61")
    body = json.loads(response.content.decode("utf-8"))
    assert "legal-form" in body["invalidParameters"][0]["reason"]
