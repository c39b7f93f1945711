"""Structured logs: a request id on every response and every log record, JSON lines in production."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from civsam.core.logs import JsonFormatter, RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The records of `civsam.*` loggers as production writes them: JSON lines with the filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("civsam")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_every_response_has_a_request_id_of_its_own(client, settings):
    settings.CIVSAM_BEHIND_PROXY = False
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live", HTTP_X_REQUEST_ID="chosen-by-the-client")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second  # without the trusted proxy, a client cannot choose the id


def test_behind_the_proxy_its_request_id_is_kept(client, settings):
    settings.CIVSAM_BEHIND_PROXY = True
    assert client.get("/health/live", HTTP_X_REQUEST_ID="f3a9c2-01")["X-Request-ID"] == "f3a9c2-01"
    for forged in ("two words", "x" * 200, "id\nlevel=ERROR"):
        kept = client.get("/health/live", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", kept), forged


def test_log_records_carry_the_request_id_as_json(client, json_log):
    response = client.get("/organisationer/a%00/")  # the input guard logs its refusal
    assert response.status_code == 400
    records = [r for r in json_log() if r["logger"] == "civsam.input"]
    assert records and records[0]["request_id"] == response["X-Request-ID"]
    assert records[0]["level"] == "INFO" and "\x00" not in records[0]["message"]
    assert current_request_id() == "-"  # nothing leaks to whatever runs next on the thread


def test_json_formatter_keeps_extra_fields_exceptions_and_swedish_text(json_log):
    logger = logging.getLogger("civsam.test")
    try:
        raise ValueError("fel värde")
    except ValueError:
        logger.exception("Importen misslyckades för %s", "Örebro", extra={"rows": 12})
    (record,) = json_log()
    assert record["message"] == "Importen misslyckades för Örebro"
    assert record["rows"] == 12 and record["request_id"] == "-" and record["level"] == "ERROR"
    assert "ValueError: fel värde" in record["exception"]
    assert record["time"].endswith("+00:00")
