"""The analysis report's PDF, rendered in the background with the same task code as the plan's
report (civsam.core, ADR 0049). The tasks run for real, in the database worker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civsam.impact import services
from civsam.impact.models import AnalysisPdf


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.slow
def test_publication_queues_the_pdf_and_the_public_gets_the_stored_file(
    client, make_analysis, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        analysis = make_analysis(status="published")
    assert sorted(AnalysisPdf.objects.values_list("language", "status")) == [("en", "queued"), ("sv", "queued")]
    assert run_tasks() == 2
    response = client.get(reverse("impact:analysis-pdf", args=[analysis.pk]))
    assert response.status_code == 200 and _body(response).startswith(b"%PDF-")
    assert AnalysisPdf.objects.count() == 2  # served from the stored file, nothing new queued


@pytest.mark.slow
def test_a_draft_pdf_is_queued_by_its_owner_and_then_downloaded(
    client, people, make_analysis, run_tasks, django_capture_on_commit_callbacks
):
    analysis = make_analysis()
    client.force_login(people["officer"])
    url = reverse("impact:analysis-pdf", args=[analysis.pk])
    with django_capture_on_commit_callbacks(execute=True):
        pending = client.get(url)
    row = AnalysisPdf.objects.get()
    page = pending.content.decode()
    assert pending.status_code == 202 and "PDF:en skapas" in page and 'role="status"' in page
    assert reverse("impact:analysis-pdf-status", args=[analysis.pk, row.pk]) in page
    assert run_tasks() == 1
    status = client.get(reverse("impact:analysis-pdf-status", args=[analysis.pk, row.pk])).content.decode()
    assert "Ladda ner PDF:en" in status
    assert _body(client.get(reverse("impact:analysis-pdf-file", args=[analysis.pk, row.pk]))).startswith(b"%PDF-")
    assert client.get(url)["Content-Type"] == "application/pdf"


@pytest.mark.slow
def test_an_analysis_changed_before_rendering_fails_in_swedish(
    client, people, make_analysis, run_tasks, django_capture_on_commit_callbacks
):
    analysis = make_analysis()
    client.force_login(people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("impact:analysis-pdf", args=[analysis.pk]))
    services.analysis_update(actor=people["officer"], analysis=analysis, title="Nytt namn")
    run_tasks()
    row = AnalysisPdf.objects.get()
    assert row.status == "failed" and "Filen kunde inte skapas." in row.error and "AnalysisChanged" in row.error
    # The changed analysis is a new version, so the next request queues a new PDF.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("impact:analysis-pdf", args=[analysis.pk])).status_code == 202
    assert AnalysisPdf.objects.count() == 2 and run_tasks() == 1
    assert AnalysisPdf.objects.filter(status="done").count() == 1


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("officer_kumla", 403), ("officer2", 202)])
def test_draft_pdfs_only_for_those_who_may_see_the_draft(client, people, make_analysis, who, expected):
    analysis = make_analysis()
    row = services.analysis_pdf_request(actor=None, analysis=analysis, language="sv")
    if people[who]:
        client.force_login(people[who])
    assert client.get(reverse("impact:analysis-pdf", args=[analysis.pk])).status_code == expected
    status = client.get(reverse("impact:analysis-pdf-status", args=[analysis.pk, row.pk])).status_code
    assert status == (200 if expected == 202 else expected)
