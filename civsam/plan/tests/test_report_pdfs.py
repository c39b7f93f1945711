"""The report's PDF, rendered in the background: queued on publication, the draft's "Skapa PDF"
button and status page, failures recorded in Swedish, the API's 202, and who may see what.
The tasks run for real, in the database worker (the run_tasks fixture)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civsam.plan import services
from civsam.plan.models import FollowUpReport, ReportPdf

from .test_reports import _pdf_streams

SLUG, YEAR = "2022-2025", 2024


def _url(name: str, *extra) -> str:
    return reverse(f"plan:{name}", args=[SLUG, YEAR, *extra])


def _publish(admin, report, capture):
    with capture(execute=True):
        return services.report_publish(actor=admin, report=report)


def broken_renderer(row):
    raise RuntimeError("the renderer broke")


@pytest.mark.slow
def test_publishing_renders_each_language_once(
    client, report_world, users, run_tasks, django_capture_on_commit_callbacks
):
    _publish(users["admin"], report_world, django_capture_on_commit_callbacks)
    assert sorted(ReportPdf.objects.values_list("language", "status")) == [("en", "queued"), ("sv", "queued")]
    assert run_tasks() == 2
    assert set(ReportPdf.objects.values_list("status", flat=True)) == {"done"}

    response = client.get(_url("report-pdf"))  # anonymous: the report is public now
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and b"/Lang (sv)" in _pdf_streams(body)
    english = client.get(_url("report-pdf") + "?lang=en")
    assert b"/Lang (en)" in _pdf_streams(b"".join(english.streaming_content))
    # Serving the stored files made no new rows and queued nothing.
    assert ReportPdf.objects.count() == 2 and DBTaskResult.objects.count() == 2


@pytest.mark.slow
def test_a_published_pdf_is_the_snapshot_and_a_new_publication_a_new_file(
    client, report_world, users, run_tasks, make_initiative, django_capture_on_commit_callbacks
):
    admin = users["admin"]
    _publish(admin, report_world, django_capture_on_commit_callbacks)
    run_tasks()
    first = b"".join(client.get(_url("report-pdf")).streaming_content)
    make_initiative(areas=("1.3",), progress=10, title="Senare insats", start_date=datetime.date(2024, 2, 1))
    assert b"".join(client.get(_url("report-pdf")).streaming_content) == first  # frozen, same file
    assert run_tasks() == 0

    report = services.report_withdraw(actor=admin, report=FollowUpReport.objects.get())
    services.report_text_save(actor=admin, report=report, body_sv="Ny text efter återkallandet")
    _publish(admin, report, django_capture_on_commit_callbacks)
    assert run_tasks() == 2
    second = b"".join(client.get(_url("report-pdf")).streaming_content)
    assert _pdf_streams(second) != _pdf_streams(first)
    rows = ReportPdf.objects.filter(language="sv").order_by("queued_at")
    assert [r.text.body_sv if r.text else None for r in rows] == [None, "Ny text efter återkallandet"]


@pytest.mark.slow
def test_draft_button_status_page_and_download(
    client, report_world, users, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])
    page = client.get(_url("report-detail")).content.decode()
    assert "Skapa PDF" in page and _url("report-pdf-create") in page and _url("report-pdf") not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("report-pdf-create"), {"lang": "sv"})
    row = ReportPdf.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("report-pdf-status", row.pk)
    assert row.status == "queued" and row.published_at is None and row.requested_by == users["admin"]

    status = client.get(_url("report-pdf-status", row.pk)).content.decode()
    assert "PDF:en skapas" in status and 'role="status"' in status and 'aria-live="polite"' in status
    assert f'hx-get="{_url("report-pdf-status", row.pk)}?seen=queued"' in status and "hx-trigger" in status
    poll = {"HTTP_HX_REQUEST": "true"}
    assert client.get(_url("report-pdf-status", row.pk), {"seen": "queued"}, **poll).status_code == 204
    assert client.get(_url("report-pdf-file", row.pk)).status_code == 302  # not made yet

    assert run_tasks() == 1
    fragment = client.get(_url("report-pdf-status", row.pk), {"seen": "queued"}, **poll)
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text and "hx-trigger" not in text  # polling stops
    assert "Ladda ner PDF:en" in text and _url("report-pdf-file", row.pk) in text
    pdf = client.get(_url("report-pdf-file", row.pk))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    # The draft has not changed, so its PDF URL serves the same stored file.
    assert client.get(_url("report-pdf"))["Content-Type"] == "application/pdf"
    assert ReportPdf.objects.count() == 1


@pytest.mark.slow
def test_a_pdf_url_that_is_not_ready_queues_once_and_says_so(
    client, report_world, users, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(_url("report-pdf"))
        assert response.status_code == 202 and response["Retry-After"]
        assert "PDF:en skapas" in response.content.decode()
    assert ReportPdf.objects.count() == 1 and DBTaskResult.objects.count() == 1
    # A changed draft is a new data version, so a new PDF.
    services.report_text_save(actor=users["admin"], report=report_world, body_sv="Ändrad text")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(_url("report-pdf")).status_code == 202
    assert ReportPdf.objects.count() == 2 and run_tasks() == 2


@pytest.mark.slow
def test_a_failure_is_recorded_in_swedish_and_can_be_retried(
    client, report_world, users, run_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(ReportPdf, "RENDERER", f"{__name__}.broken_renderer")
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("report-pdf-create"), {"lang": "en"})
    run_tasks()
    row = ReportPdf.objects.get()
    assert row.status == "failed" and not row.file and row.attempts == 1 and row.finished_at
    assert row.error.startswith("Filen kunde inte skapas.") and "Tekniskt fel: RuntimeError" in row.error
    assert DBTaskResult.objects.get().status == "FAILED"  # the queue's own record agrees
    page = client.get(_url("report-pdf-status", row.pk)).content.decode()
    assert "The PDF could not be created." in page and f'<p lang="sv">{row.error}</p>' in page
    assert "Try again" in page and "hx-trigger" not in page

    # A plain GET does not retry at once; the button does.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url("report-pdf") + "?lang=en")
    assert ReportPdf.objects.get().status == "failed"
    monkeypatch.setattr(ReportPdf, "RENDERER", "civsam.plan.rendering.report_pdf_render")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("report-pdf-create"), {"lang": "en"})
    assert ReportPdf.objects.get().status == "queued" and run_tasks() == 1
    row = ReportPdf.objects.get()
    assert row.status == "done" and row.error == "" and row.attempts == 2


@pytest.mark.parametrize(
    ("state", "age", "retry_failed", "queued_again"),
    [
        ("queued", 1, False, False),
        ("queued", 20, False, True),  # lost: the worker died
        ("running", 20, False, True),
        ("done", 60, False, False),
        ("failed", 1, False, False),
        ("failed", 1, True, True),
        ("failed", 6, False, True),
    ],
)
def test_when_a_request_queues_a_row_again(report_world, users, state, age, retry_failed, queued_again):
    row = services.report_pdf_request(actor=None, report=report_world, language="sv")
    when = timezone.now() - datetime.timedelta(minutes=age)
    ReportPdf.objects.filter(pk=row.pk).update(
        status=state, queued_at=when, finished_at=when, file="x.pdf" if state == "done" else ""
    )
    again = services.report_pdf_request(actor=None, report=report_world, language="sv", retry_failed=retry_failed)
    assert again.pk == row.pk and (again.status == "queued" and again.queued_at > when) == queued_again


@pytest.mark.parametrize("who", ["anonymous", "plain", "officer", "rep", "admin"])
def test_only_those_who_see_drafts_get_their_pdfs(client, report_world, users, who, run_tasks):
    row = services.report_pdf_request(actor=None, report=report_world, language="sv")
    if users[who]:
        client.force_login(users[who])
    expected = 404 if who != "admin" else None
    responses = {
        "pdf": client.get(_url("report-pdf")).status_code,
        "create": client.post(_url("report-pdf-create")).status_code,
        "status": client.get(_url("report-pdf-status", row.pk)).status_code,
        "file": client.get(_url("report-pdf-file", row.pk)).status_code,
        "api": client.get(f"/api/v1/plans/{SLUG}/reports/{YEAR}?format=pdf").status_code,
    }
    if expected:
        assert set(responses.values()) == {404}
    else:
        assert responses == {"pdf": 202, "create": 302, "status": 200, "file": 302, "api": 202}


def test_a_row_of_another_report_is_not_found(client, report_world, users, plan):
    other = services.report_get_or_create(actor=None, plan=plan, year=2023)
    row = services.report_pdf_request(actor=None, report=other, language="sv")
    client.force_login(users["admin"])
    assert client.get(_url("report-pdf-status", row.pk)).status_code == 404


@pytest.mark.slow
def test_api_answers_202_until_the_pdf_is_made(
    client, report_world, users, run_tasks, django_capture_on_commit_callbacks
):
    url = f"/api/v1/plans/{SLUG}/reports/{YEAR}?format=pdf&lang=en"
    _publish(users["admin"], report_world, django_capture_on_commit_callbacks)
    pending = client.get(url)
    assert pending.status_code == 202 and pending["Content-Type"].startswith("application/json")
    assert pending["Location"] == url and int(pending["Retry-After"]) > 0
    assert pending.json() == {"status": "queued", "detail": "The PDF is being made …", "retryAfter": 5}
    run_tasks()
    done = client.get(url)
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    assert b"/Lang (en)" in _pdf_streams(b"".join(done.streaming_content))


def test_pruning_keeps_the_newest_file_per_language_and_removes_older_ones_with_their_files(
    report_world, settings, tmp_path, django_capture_on_commit_callbacks
):
    """`manage.py prune_rendered_files`: superseded versions older than the cut-off go, files too."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()

    def row(version: str, language: str, status: str, days_old: int) -> ReportPdf:
        made = ReportPdf.objects.create(
            report=report_world, language=language, version=version, status="queued" if status == "done" else status,
            snapshot={},
            queued_at=now - datetime.timedelta(days=days_old), finished_at=now - datetime.timedelta(days=days_old),
        )  # fmt: skip
        if status == "done":
            made.file.save(f"{version}-{language}.pdf", ContentFile(b"%PDF-1.7"), save=False)
            made.status = "done"
            made.save()
        return made

    old_sv = row("v1", "sv", "done", 90)
    row("v2", "sv", "failed", 60)  # failed and old: goes
    newest_sv = row("v3", "sv", "done", 45)  # the newest finished one: kept however old
    recent = row("v0", "en", "done", 3)
    older_en = row("v-1", "en", "done", 2)  # newer rows win by finish time, not by age of the request
    older_en.finished_at = now - datetime.timedelta(days=10)
    older_en.save(update_fields=["finished_at"])
    running = row("v4", "en", "running", 50)
    old_file = old_sv.file.path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_rendered_files", "--days", "30")
    assert set(ReportPdf.objects.values_list("pk", flat=True)) == {newest_sv.pk, recent.pk, older_en.pk, running.pk}
    assert not os.path.exists(old_file) and os.path.exists(newest_sv.file.path)
