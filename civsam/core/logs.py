"""Logs an operator can follow: one request id on every record, JSON lines in production.

`RequestIdMiddleware` takes the id from the trusted proxy's X-Request-ID (only when
DJANGO_BEHIND_PROXY is set: otherwise anyone could choose the id their requests are logged
under) or makes one, returns it in the response's X-Request-ID and keeps it for the request's
thread, where `RequestIdFilter` puts it on every log record. `JsonFormatter` writes one JSON
object per line; settings.CIVSAM_LOG_FORMAT chooses it (docs/operations.md).

Nothing here reads the database, and no header, cookie or body is logged.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may send: letters, digits and a few separators, as nginx's $request_id, a UUID or a
# trace id are. Anything else is replaced, so a log line cannot be forged through the header.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("civsam_request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served on this thread, or "-" outside a request."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = ""
        if getattr(settings, "CIVSAM_BEHIND_PROXY", False):
            offered = request.headers.get(REQUEST_ID_HEADER, "")
            if _VALID_ID.fullmatch(offered):
                request_id = offered
        request_id = request_id or new_request_id()
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (the text format prints it, the JSON format includes it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


# Attributes every LogRecord has; anything else on a record came from `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the
    exception's traceback if any, and whatever the call passed in `extra`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        return json.dumps(entry, ensure_ascii=False, default=str)
