"""Health and readiness for the load balancer, and the background queue in the admin."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civsam.core.tasks import render_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _queue_task(*, waited: datetime.timedelta, run_after: datetime.datetime | None = None) -> DBTaskResult:
    result = render_file.enqueue("plan.ReportPdf", 1)
    row = DBTaskResult.objects.get(pk=result.id)
    row.enqueued_at = timezone.now() - waited
    if run_after is not None:
        row.run_after = run_after
    row.save(update_fields=["enqueued_at", "run_after"])
    return row


def test_live_answers_anyone_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert client.post("/health/live").status_code == 405


def test_ready_checks_database_queue_and_storage(client, media):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "queue": True,
        "storage": True,
    }
    assert body["checks"]["queue"]["waiting"] == 0
    assert "no-store" in response["Cache-Control"]
    assert not list((media / "health").iterdir())  # the storage probe removed its file


def test_ready_fails_when_the_oldest_task_has_waited_too_long(client, media, settings):
    settings.CIVSAM_HEALTH_QUEUE_MAX_AGE = 600
    _queue_task(waited=datetime.timedelta(minutes=5))
    # A task meant for tomorrow has not waited at all.
    _queue_task(waited=datetime.timedelta(hours=2), run_after=timezone.now() + datetime.timedelta(days=1))
    body = client.get("/health/ready").json()
    assert body["status"] == "ok" and body["checks"]["queue"]["waiting"] == 1
    assert 299 <= body["checks"]["queue"]["oldestWaitingSeconds"] < 400

    _queue_task(waited=datetime.timedelta(hours=1))
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "fail"
    assert body["checks"]["queue"]["ok"] is False and body["checks"]["queue"]["oldestWaitingSeconds"] >= 3600
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]

    settings.CIVSAM_HEALTH_QUEUE_MAX_AGE = 0  # the check turned off
    assert client.get("/health/ready").status_code == 200


def test_ready_fails_when_storage_cannot_be_written_and_tells_no_secrets(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["storage"] == {"ok": False, "ms": body["checks"]["storage"]["ms"]}
    text = response.content.decode()
    for secret in (str(tmp_path), settings.DATABASES["default"]["NAME"], "Error", "Traceback"):
        assert secret not in text


def test_the_queue_is_visible_read_only_to_the_administrator(client, django_user_model):
    row = _queue_task(waited=datetime.timedelta(minutes=1))
    admin = django_user_model.objects.create_superuser("drift", password="secret-pass-123")
    client.force_login(admin)
    changelist = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert changelist.status_code == 200
    assert "render_file" in changelist.content.decode()
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[row.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_add")).status_code == 403
    delete = reverse("admin:django_tasks_database_dbtaskresult_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DBTaskResult.objects.filter(pk=row.pk).exists()

    client.logout()
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code == 302
