"""Hostile input answers 400, 404 or 413, never 500, on SQLite and PostgreSQL.

One middleware, before anything reads the database, turns away what no page or endpoint can use:

- a NUL character in the path, a query parameter, a cookie, a form field or a JSON string
  (PostgreSQL refuses NUL in text, so it would fail deep inside a query): 400;
- a path segment of digits beyond a signed 64-bit integer (SQLite cannot bind it, and no id is
  that large): 404; a JSON number beyond that range: 400;
- a body larger than the upload limit (by Content-Length, or when Django refuses to read it): 413.

What gets past these checks and still does not fit the database (a query parameter of digits
that a view turns into a huge integer, a value longer than its column, an integer beyond a
column's range) raises OverflowError or DataError from the database layer; the same middleware,
and the API's exception handlers through `input_error_response`, answer those with 400 as well.

Under /api/ every answer is an RFC 9457 problem (application/problem+json), elsewhere a page.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import get_resolver, get_urlconf
from django.utils.html import escape
from django.utils.translation import gettext as _

from .apitools import InvalidParameter, problem_response

logger = logging.getLogger("civsam.input")

API_PREFIX = "/api/"
# SQLite's INTEGER (and PostgreSQL's bigint) is a signed 64-bit integer.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Multipart bodies carry files (imports up to IMPORT_MAX_BYTES); the fields around them are small.
MULTIPART_OVERHEAD = 1024 * 1024

_DIGITS = re.compile(r"[0-9]+")
# A JSON body is parsed here only when it might hold something to refuse: an escaped NUL or a
# number of 19 digits or more. Everything else is left to the endpoint's own parser.
_JSON_SUSPECT = re.compile(rb"\\u0000|[0-9]{19}")


class InputRejected(Exception):
    def __init__(self, status: int, detail: str, *, parameters: list[InvalidParameter] | None = None):
        self.status = status
        self.detail = detail
        self.parameters = parameters or []
        super().__init__(detail)


def _nul_reason() -> str:
    return _("innehåller ett NUL-tecken, som inte är tillåtet")


def _range_reason() -> str:
    return _("är ett för stort tal")


def body_limit(request: HttpRequest) -> int:
    """The largest body accepted for this request, in bytes."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    if request.content_type == "multipart/form-data":
        limit = max(limit, getattr(settings, "IMPORT_MAX_BYTES", 0) + MULTIPART_OVERHEAD)
    return limit


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _too_large() -> InputRejected:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return InputRejected(
        413,
        _(
            "Begäran är för stor. Formulär och JSON får vara högst %(limit)s MB; en fil som ska "
            "importeras högst %(import)s MB."
        )
        % {"limit": limit_mb, "import": getattr(settings, "IMPORT_MAX_BYTES", 0) // (1024 * 1024)},
    )


def _check_path(request: HttpRequest) -> None:
    if "\x00" in request.path_info:
        raise InputRejected(400, _("Adressen innehåller ett NUL-tecken, som inte är tillåtet."))
    for segment in request.path_info.split("/"):
        if _DIGITS.fullmatch(segment) and int(segment) > INT64_MAX:
            raise InputRejected(404, _("Det finns ingen resurs på %(path)s.") % {"path": request.path})


def _check_pairs(pairs: Iterator[tuple[str, str]], detail: str) -> None:
    problems = [
        InvalidParameter(key.replace("\x00", "\ufffd"), _nul_reason())
        for key, value in pairs
        if "\x00" in key or "\x00" in value
    ]
    if problems:
        raise InputRejected(400, detail, parameters=problems)


def _query_pairs(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


def _check_json(request: HttpRequest) -> None:
    body = request.body  # RequestDataTooBig when over DATA_UPLOAD_MAX_MEMORY_SIZE
    if b"\x00" in body:
        raise InputRejected(400, _("Innehållet har ett NUL-tecken, som inte är tillåtet."))
    if not _JSON_SUSPECT.search(body):
        return
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the endpoint says so in its own words
    problems = [InvalidParameter(name, reason) for name, reason in _json_problems(data, "")]
    if problems:
        detail = _("Begäran innehåller %(count)s fel; se invalidParameters.") % {"count": len(problems)}
        raise InputRejected(400, detail, parameters=problems)


def _json_problems(value: Any, where: str) -> Iterator[tuple[str, str]]:
    # Iterative, so that deeply nested bodies cannot exhaust the stack here.
    stack = [(value, where)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                yield where or "body", _nul_reason()
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                yield where or "body", _range_reason()
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else str(key)
                if "\x00" in key:
                    yield name.replace("\x00", "\ufffd"), _nul_reason()
                stack.append((item, name))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]") for index, item in enumerate(value))


def _check_form(request: HttpRequest) -> None:
    # Reading the form here is what CsrfViewMiddleware does next anyway.
    post = request.POST
    _check_pairs(
        ((key, value) for key, values in post.lists() for value in values),
        _("Formuläret innehåller ett NUL-tecken, som inte är tillåtet."),
    )
    # File names need no check: Django's multipart parser keeps only printable characters.


def check_request(request: HttpRequest) -> None:
    """Raise InputRejected for input that no view can use."""
    if _content_length(request) > body_limit(request):
        raise _too_large()
    _check_path(request)
    _check_pairs(_query_pairs(request), _("Frågeparametrarna innehåller ett NUL-tecken, som inte är tillåtet."))
    _check_pairs(iter(request.COOKIES.items()), _("En kaka innehåller ett NUL-tecken, som inte är tillåtet."))
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    try:
        # The API reads every body as JSON, whatever its declared type, and takes no forms.
        if request.path.startswith(API_PREFIX) or content_type == "application/json" or content_type.endswith("+json"):
            _check_json(request)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            _check_form(request)
    except RequestDataTooBig:
        raise _too_large() from None
    except (MultiPartParserError, SuspiciousOperation) as exc:
        # TooManyFieldsSent, TooManyFilesSent, a broken multipart body
        raise InputRejected(400, _("Begäran kunde inte läsas.")) from exc


def _web_response(request: HttpRequest, rejected: InputRejected) -> HttpResponse:
    if rejected.status in (400, 404):
        # The project's own error page (handler400, handler404), without a logged traceback.
        handler = get_resolver(get_urlconf()).resolve_error_handler(rejected.status)
        exception = Http404(rejected.detail) if rejected.status == 404 else BadRequest(rejected.detail)
        return handler(request, exception)
    title = _("Begäran är för stor")
    html = (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><main><h1>{escape(title)}</h1><p>{escape(rejected.detail)}</p></main></body></html>"
    )
    return HttpResponse(html, status=rejected.status)


def rejected_response(request: HttpRequest, rejected: InputRejected) -> HttpResponse:
    if not request.path.startswith(API_PREFIX):
        return _web_response(request, rejected)
    response = problem_response(
        request, rejected.status, detail=rejected.detail, invalid_parameters=rejected.parameters
    )
    # Like every API answer, readable from other origins (without credentials).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def input_error_response(request: HttpRequest, exc: Exception) -> HttpResponse | None:
    """A 400 for an exception that says the input did not fit the database, else None.

    SQLite raises OverflowError for an integer beyond 64 bits; PostgreSQL a DataError for a value
    out of its column's range or too long for it. Logged as a warning: a DataError can also be a
    bug, and the operators should see it."""
    if not isinstance(exc, OverflowError | DataError):
        return None
    logger.warning("Input did not fit the database in %s %s: %s", request.method, request.path, exc)
    return rejected_response(request, InputRejected(400, _("Ett värde i begäran är för stort eller för långt.")))


class InputGuardMiddleware:
    """Checks every request before the views (and the session and login) read the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except InputRejected as rejected:
            path = request.path.replace("\x00", "\\0")
            logger.info("Rejected input (%s) in %s %s", rejected.status, request.method, path)
            return rejected_response(request, rejected)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return input_error_response(request, exception)
