"""Health endpoints for the load balancer and the monitoring (docs/operations.md).

- `GET /health/live`: the process answers (no database, nothing else), 200.
- `GET /health/ready`: the process can serve: the database answers, the background queue is
  being worked off (its oldest waiting task is younger than CIVSAM_HEALTH_QUEUE_MAX_AGE seconds)
  and the file storage takes a write. 200 when every check passes, else 503.

JSON, no login, nothing cached, and nothing secret: no host names, paths, versions or error texts,
only which check failed (the reason is logged for the operators).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("civsam.health")

DEFAULT_QUEUE_MAX_AGE = 15 * 60
PROBE_DIRECTORY = "health"


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _database_queue():
    """The task model when the queue is kept in the database (ADR 0049), else None."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult


def queue_state(*, now=None) -> dict[str, Any]:
    """How many tasks wait to be run, and for how long the oldest has waited (seconds)."""
    model = _database_queue()
    if model is None:
        return {"backend": "other", "waiting": 0, "oldest_seconds": 0}
    from django_tasks_db.models import get_date_max

    now = now or timezone.now()
    ready = model.objects.ready()
    waiting = ready.count()
    oldest = 0
    first = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    if first is not None:
        enqueued_at, run_after = first
        # A task meant to run later has waited only since it became due.
        due = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        oldest = max(0, int((now - due).total_seconds()))
    return {"backend": "database", "waiting": waiting, "oldest_seconds": oldest}


def check_queue() -> dict[str, Any]:
    limit = int(getattr(settings, "CIVSAM_HEALTH_QUEUE_MAX_AGE", DEFAULT_QUEUE_MAX_AGE))
    state = queue_state()
    return {
        "ok": limit <= 0 or state["oldest_seconds"] <= limit,
        "waiting": state["waiting"],
        "oldestWaitingSeconds": state["oldest_seconds"],
        "maxAgeSeconds": limit,
    }


def check_storage() -> dict[str, Any]:
    """Write, read back and delete a small file on the default storage (local or S3)."""
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"{PROBE_DIRECTORY}/{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as file:
            read_back = file.read()
    finally:
        default_storage.delete(name)
    return {"ok": read_back == content}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "queue": check_queue,
    "storage": check_storage,
}


def _run(name: str, check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = check()
    except Exception:
        logger.exception("Readiness check %s failed", name)
        result = {"ok": False}
    if not result["ok"]:
        logger.warning("Readiness check %s is not ok: %s", name, result)
    result["ms"] = round(1000 * (time.perf_counter() - started), 1)
    return result


@login_not_required
@require_safe
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    ok = all(result["ok"] for result in checks.values())
    body = {"status": "ok" if ok else "fail", "checks": checks, "time": timezone.now().isoformat(timespec="seconds")}
    return JsonResponse(body, status=200 if ok else 503)


app_name = "health"
urlpatterns = [
    path("live", live, name="live"),
    path("ready", ready, name="ready"),
]
