"""Every URL pattern and every API operation, fed hostile input, answers 4xx and never 5xx.

The walk resolves the URLconf (every pattern, the admin's too) and the OpenAPI document (every
operation with its declared method, query parameters and body properties), and sends each:

- a NUL character in every path parameter, in the query and in the body (PostgreSQL refuses NUL
  in text);
- an integer beyond 64 bits in every path parameter, in the query and in the body (SQLite cannot
  bind one);
- a body one byte over the upload limit, which must answer 413 (problem+json under /api/).

as an anonymous visitor and as a region administrator. CI runs it on SQLite and on PostgreSQL.
All failures are listed together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from civsam.api import api

pytestmark = pytest.mark.slow

NUL = "a\x00"
BIG = "99999999999999999999"  # > 2**64
# Names the pages' filters, pagers and forms use; a page ignores those it does not know.
WEB_QUERY_NAMES = ("q", "page", "year", "municipality", "status", "plan", "area", "sort", "lang", "organisation", "to")
WEB_FORM_NAMES = ("name", "title", "year", "capacity", "organisation", "municipality", "status", "pk", "email", "q")
FORM = "application/x-www-form-urlencoded"
SAMPLES = {"slug": "2022-2025", "plan_id": "2022-2025", "fmt": "csv", "code": "1880", "app_label": "registry"}


def _walk(patterns, prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _fill(route: str, value: str | None = None) -> str:
    """A concrete path for a route: every parameter `value` (URL-quoted), or a plausible sample."""

    def one(match: re.Match) -> str:
        return quote(value, safe="") if value is not None else SAMPLES.get(match.group(1), "1")

    path = _REGEX_GROUP.sub(one, route)
    path = _CONVERTER.sub(one, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path.lstrip("/")


def _has_parameters(route: str) -> bool:
    return bool(_REGEX_GROUP.search(route) or _CONVERTER.search(route))


WEB_ROUTES = sorted({route for route in _walk(get_resolver().url_patterns) if not route.lstrip("^").startswith("api/")})


def _resolve_ref(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _body_names(operation: dict, document: dict) -> tuple[list[str], list[str]]:
    """The request body's top-level string and number properties."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = _resolve_ref(next(iter(content.values()), {}).get("schema", {}), document)
    strings, numbers = [], []
    for name, prop in schema.get("properties", {}).items():
        kinds = {_resolve_ref(p, document).get("type") for p in (prop, *prop.get("anyOf", ()))}
        if "integer" in kinds or "number" in kinds:
            numbers.append(name)
        if "string" in kinds or not kinds - {None}:
            strings.append(name)
    return strings, numbers


def _api_operations() -> list[dict]:
    document = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = operation.get("parameters", [])
            strings, numbers = _body_names(operation, document)
            operations.append(
                {
                    "method": method.upper(),
                    "template": template,
                    "path_names": [p["name"] for p in parameters if p["in"] == "path"],
                    "query_names": [p["name"] for p in parameters if p["in"] == "query"],
                    "body_strings": strings,
                    "body_numbers": numbers,
                    "has_body": "requestBody" in operation,
                }
            )
    return operations


API_OPERATIONS = _api_operations()


def _api_path(operation: dict, value: str | None = None) -> str:
    path = operation["template"]
    for name in operation["path_names"]:
        path = path.replace("{" + name + "}", quote(value, safe="") if value is not None else SAMPLES.get(name, "1"))
    return path


class Walk:
    def __init__(self, client, login=None):
        self.client = client
        self.login = login
        self.failures: list[tuple] = []
        self.requests = 0

    def send(
        self, method: str, path: str, body: bytes | str = b"", content_type: str = "", *, expect: int | None = None
    ) -> None:
        extra = {"content_type": content_type} if content_type else {}
        response = self.client.generic(method, path, body, **extra)
        if self.login and ("logga-ut" in path or "logout" in path):
            self.login()  # signed out by the walk itself: sign in again
        self.requests += 1
        status = response.status_code
        if status >= 500 or (expect is not None and status != expect):
            self.failures.append((method, path[:120], status))
        problem = response.get("Content-Type", "").split(";")[0] == "application/problem+json"
        if path.startswith("/api/") and status >= 400 and not problem:
            self.failures.append((method, path[:120], status, "not problem+json"))


def _oversized() -> bytes:
    return b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def _walk_web(walk: Walk, oversized: bytes) -> None:
    nul_query = "?" + urlencode(dict.fromkeys(WEB_QUERY_NAMES, NUL))
    big_query = "?" + urlencode(dict.fromkeys(WEB_QUERY_NAMES, BIG))
    for route in WEB_ROUTES:
        path = _fill(route)
        if _has_parameters(route):
            walk.send("GET", _fill(route, NUL))
            walk.send("GET", _fill(route, BIG))
        walk.send("GET", path + nul_query)
        walk.send("GET", path + big_query)
        for value in (NUL, BIG):
            walk.send("POST", path, urlencode(dict.fromkeys(WEB_FORM_NAMES, value)), FORM)
        walk.send("POST", path, oversized, "application/octet-stream", expect=413)


def _walk_api(walk: Walk, oversized: bytes) -> None:
    for operation in API_OPERATIONS:
        method, path = operation["method"], _api_path(operation)
        if operation["path_names"]:
            walk.send(method, _api_path(operation, NUL))
            walk.send(method, _api_path(operation, BIG))
        if operation["query_names"]:
            walk.send(method, path + "?" + urlencode(dict.fromkeys(operation["query_names"], NUL)))
            walk.send(method, path + "?" + urlencode(dict.fromkeys(operation["query_names"], BIG)))
        if operation["has_body"]:
            nul_body = dict.fromkeys(operation["body_strings"], NUL) or {"name": NUL}
            big_body = {name: int(BIG) for name in operation["body_numbers"]} or {"id": int(BIG)}
            for body in (nul_body, big_body, [NUL], int(BIG)):
                walk.send(method, path, json.dumps(body), "application/json")
        walk.send(method, path, oversized, "application/json", expect=413)


def test_the_walk_covers_the_whole_site_and_api():
    assert len(WEB_ROUTES) > 100
    assert len(API_OPERATIONS) > 20
    assert any(op["has_body"] and op["body_numbers"] for op in API_OPERATIONS)
    assert _fill("organisationer/<str:orgnr>/kontakt/<int:pk>/", NUL) == "/organisationer/a%00/kontakt/a%00/"
    assert _fill("admin/^(?P<app_label>auth|core)/$") == "/admin/registry/"


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_hostile_input_never_answers_5xx(client, users, settings, who):
    client.raise_request_exception = False
    # A small limit keeps the walk quick; the guard reads the setting on every request.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    login = (lambda: client.force_login(users["admin"])) if who == "admin" else None
    if login:
        login()
    walk = Walk(client, login)
    oversized = _oversized()
    _walk_web(walk, oversized)
    _walk_api(walk, oversized)
    assert walk.requests > 1000
    assert walk.failures == []
