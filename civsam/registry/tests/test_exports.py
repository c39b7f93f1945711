"""Large directory exports: CSV and JSON streamed at constant memory, XLSX of a large result set
built by the worker with a status page, reused by a second request, and limited per client and in
all (models.DirectoryExport, services/exports.py). Small exports stay immediate."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.urls import reverse

from civsam.core.models import Municipality
from civsam.registry import demo, exports
from civsam.registry.imports.bulk import demo_organisations_insert
from civsam.registry.models import DirectoryExport, Organisation


@pytest.fixture
def register(reference_data):
    """60 generated organisations; with the immediate limit lowered to 20, a whole-register XLSX is large."""
    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(demo.generate(60, populations, seed=5))
    return Organisation.objects.all()


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(exports, "XLSX_IMMEDIATE_ROWS", 20)


def _url(fmt: str = "xlsx") -> str:
    return reverse("registry:directory-export", args=[fmt])


def _rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_are_streamed_whatever_their_size(client, register, small_limit, fmt):
    response = client.get(_url(fmt))
    assert isinstance(response, StreamingHttpResponse) and response.status_code == 200
    body = b"".join(response.streaming_content)
    count = len(json.loads(body)) if fmt == "json" else body.decode("utf-8-sig").count("\r\n") - 1
    assert count == register.filter(is_public=True).count()
    assert not DirectoryExport.objects.exists()


def test_a_small_xlsx_is_made_in_the_request(client, register, small_limit):
    counts = Organisation.objects.filter(is_public=True).values("municipality__code").annotate(n=Count("id"))
    smallest = min(counts, key=lambda c: c["n"])
    municipality, expected = smallest["municipality__code"], smallest["n"]
    assert 0 < expected <= 20
    response = client.get(_url(), {"municipality": municipality})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert len(_rows(response.content)) == expected + 1
    assert not DirectoryExport.objects.exists()


def test_a_large_xlsx_is_built_in_the_background_once(
    client, register, small_limit, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(_url(), {"sort": "name"})
    assert first.status_code == 202 and first["Retry-After"]
    row = DirectoryExport.objects.get()
    assert row.status == DirectoryExport.Status.QUEUED and row.audience == "public"
    assert reverse("registry:directory-export-status", args=[row.pk]) in first.content.decode()
    # The same export asked for again (the filter in another order too) reuses the waiting row.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.get(_url(), {"sort": "name", "municipality": []})
    assert second.status_code == 202 and DirectoryExport.objects.count() == 1 and callbacks == []

    assert run_tasks() == 1
    row.refresh_from_db()
    assert row.is_ready
    done = client.get(reverse("registry:directory-export-status", args=[row.pk]))
    assert done.status_code == 200 and reverse("registry:directory-export-file", args=[row.pk]) in done.content.decode()
    for response in (
        client.get(_url(), {"sort": "name"}),
        client.get(reverse("registry:directory-export-file", args=[row.pk])),
    ):
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="organisationer.xlsx"'
        rows = _rows(b"".join(response.streaming_content))
        public = Organisation.objects.filter(is_public=True).order_by("name_key", "id")
        assert [r[1] for r in rows[1:]] == list(public.values_list("name", flat=True))


def test_an_htmx_poll_gets_the_status_part_or_nothing_new(client, register, small_limit):
    client.get(_url())
    row = DirectoryExport.objects.get()
    url = reverse("registry:directory-export-status", args=[row.pk])
    part = client.get(url, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "Filen skapas" in part.content.decode() and "<html" not in part.content.decode()
    assert client.get(url, {"seen": "queued"}, headers={"HX-Request": "true"}).status_code == 204


def test_a_changed_register_makes_a_new_export(client, register, small_limit, make_org):
    client.get(_url())
    make_org(name="Nya föreningen")
    client.get(_url())
    assert DirectoryExport.objects.count() == 2
    assert len(set(DirectoryExport.objects.values_list("version", flat=True))) == 2


def test_exports_waiting_at_once_are_limited_per_client(client, register, small_limit, settings):
    settings.CIVSAM_EXPORTS_PER_CLIENT = 2
    client.get(_url(), {"sort": "name"})
    client.get(_url(), {"sort": "-name"})
    refused = client.get(_url(), {"sort": "municipality"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Du har redan exporter som skapas" in refused.content.decode()
    assert DirectoryExport.objects.count() == 2
    # Another client is not held back by this one's exports.
    other = client.get(_url(), {"sort": "municipality"}, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 202


def test_exports_waiting_at_once_are_limited_in_all(client, register, small_limit, settings):
    settings.CIVSAM_EXPORTS_PER_CLIENT = 10
    settings.CIVSAM_EXPORTS_AT_ONCE = 2
    for number, sort in enumerate(("name", "-name")):
        assert client.get(_url(), {"sort": sort}, REMOTE_ADDR=f"192.0.2.{number}").status_code == 202
    refused = client.get(_url(), {"sort": "founded"}, REMOTE_ADDR="192.0.2.99")
    assert refused.status_code == 429 and "Många exporter skapas just nu" in refused.content.decode()
    # Asking again for one that is already waiting is no new work, so it is not refused.
    assert client.get(_url(), {"sort": "name"}, REMOTE_ADDR="192.0.2.99").status_code == 202


def test_an_export_with_hidden_organisations_is_only_for_whoever_sees_them(
    client, users, register, small_limit, run_tasks, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk__in=register.values("pk")[:5]).update(is_public=False)
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url())
    run_tasks()
    row = DirectoryExport.objects.get()
    assert row.audience == f"user:{users['admin'].pk}"
    rows = _rows(b"".join(client.get(reverse("registry:directory-export-file", args=[row.pk])).streaming_content))
    assert len(rows) - 1 == Organisation.objects.count()  # hidden ones included for the admin
    for who in ("plain", "officer"):
        client.force_login(users[who])
        assert client.get(reverse("registry:directory-export-file", args=[row.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("registry:directory-export-status", args=[row.pk])).status_code == 403
    assert client.get(reverse("registry:directory-export-status", args=[row.pk + 100])).status_code == 404


def test_old_exports_are_pruned_with_their_files(
    client, register, small_limit, run_tasks, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from civsam.core.services import rendered_files_prune

    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url())
    run_tasks()
    row = DirectoryExport.objects.get()
    storage, name = row.file.storage, row.file.name
    assert storage.exists(name)
    # Unlike a report's newest PDF, an export is not kept once it is old.
    assert rendered_files_prune(older_than=datetime.timedelta(days=30)) == 0
    DirectoryExport.objects.filter(pk=row.pk).update(queued_at=timezone.now() - datetime.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert rendered_files_prune(older_than=datetime.timedelta(days=30)) == 1
    assert not DirectoryExport.objects.exists() and not storage.exists(name)
