"""The annual report: snapshot frozen at publication, versioned text, HTML and tagged PDF, languages."""

from __future__ import annotations

import datetime
import re
import zlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civsam.plan import services
from civsam.plan.models import FollowUpReport
from civsam.plan.report import snapshot_build


def test_snapshot_holds_the_numbers_behind_each_section(report_world, plan):
    snap = snapshot_build(plan, 2024)
    assert [i["title"] for i in snap["completed"]] == ["Klar insats"]
    assert [i["title"] for i in snap["ongoing"]] == ["Pågår"]
    fa1 = snap["focus_areas"][0]
    assert [pa["progress"] for pa in fa1["priority_areas"]] == ["100.0", "40.0", None]
    assert fa1["progress"] == "70.0"
    indicator = snap["indicators"][0]
    assert indicator["status"] == "on_track"
    assert indicator["series"] == [
        {"year": 2023, "target": "8", "actual": "6", "source": ""},
        {"year": 2024, "target": "12", "actual": "12", "source": ""},
    ]
    assert len(snap["municipalities"]) == 12


def test_a_published_report_keeps_its_numbers(client, report_world, users, make_initiative):
    services.report_text_save(actor=users["admin"], report=report_world, body_sv="Första utkastet")
    services.report_text_save(
        actor=users["admin"], report=report_world, body_sv="Andra utkastet", body_en="Second draft"
    )
    published = services.report_publish(actor=users["admin"], report=report_world)
    assert published.published_text.version == 2
    url = reverse("plan:report-detail", args=["2022-2025", 2024])
    before = client.get(url).content.decode()
    assert "Andra utkastet" in before and "Klar insats" in before
    # New data after publication does not change the published report.
    make_initiative(areas=("1.1",), progress=0, title="Sen insats", start_date=datetime.date(2024, 9, 1))
    after = client.get(url).content.decode()
    assert "Sen insats" not in after
    assert FollowUpReport.objects.get().snapshot == published.snapshot
    # Withdrawing unfreezes: the draft shows live figures again.
    services.report_withdraw(actor=users["admin"], report=published)
    client.force_login(users["admin"])
    assert "Sen insats" in client.get(url).content.decode()


def test_text_versions_are_kept_and_a_published_text_is_locked(report_world, users):
    first = services.report_text_save(actor=users["admin"], report=report_world, body_sv="Ett")
    second = services.report_text_save(actor=users["admin"], report=report_world, body_sv="Två")
    assert (first.version, second.version) == (1, 2)
    assert list(report_world.texts.values_list("body_sv", flat=True)) == ["Två", "Ett"]
    services.report_publish(actor=users["admin"], report=report_world)
    with pytest.raises(ValidationError):
        services.report_text_save(actor=users["admin"], report=report_world, body_sv="Tre")
    with pytest.raises(ValidationError):
        services.report_publish(actor=users["admin"], report=report_world)


def test_report_html_has_charts_with_tables_and_an_english_version(client, report_world, users):
    services.report_text_save(actor=users["admin"], report=report_world, body_sv="Svensk text", body_en="English text")
    services.report_publish(actor=users["admin"], report=report_world)
    url = reverse("plan:report-detail", args=["2022-2025", 2024])
    html = client.get(url).content.decode()
    assert html.count("<svg") == html.count("<figure") >= 6  # goal, four focus areas, one indicator
    assert html.count("<table") >= 6 and "Svensk text" in html and 'lang="sv"' in html
    assert 'role="img"' in html and "<desc" in html
    english = client.get(url + "?lang=en").content.decode()
    assert 'lang="en"' in english and "English text" in english and "Network meetings" in english


@pytest.mark.slow
def test_report_pdf_is_tagged(client, report_world, users, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(actor=users["admin"], report=report_world)
    run_tasks()  # the worker renders the PDF of each language after publication (test_report_pdfs.py)
    response = client.get(reverse("plan:report-pdf", args=["2022-2025", 2024]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    text = _pdf_streams(content)
    assert b"pdfuaid:part" in text and b"StructTreeRoot" in text and b"/Lang (sv)" in text
    assert "Uppföljning 2024".encode() in text  # the title, in the XMP metadata
    english = client.get(reverse("plan:report-pdf", args=["2022-2025", 2024]) + "?lang=en")
    assert b"/Lang (en)" in _pdf_streams(b"".join(english.streaming_content))


def _pdf_streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, inflated where it is compressed."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


def test_charts_do_not_rely_on_colour():
    from civsam.plan.charts import indicator_chart, progress_chart

    svg = indicator_chart(
        chart_id="t", title="T", years=[2023, 2024], actual=[Decimal(3), None], target=[Decimal(4), Decimal(5)]
    )
    assert "stroke-dasharray" in svg and "Utfall" in svg and "Mål" in svg and ">3<" in svg
    bars = progress_chart(chart_id="p", title="P", rows=[("A", 25.0), ("B", None)])
    assert "25 %" in bars and "inga data" in bars


def test_only_the_coordinator_sees_drafts(client, report_world, users):
    url = reverse("plan:report-detail", args=["2022-2025", 2024])
    assert client.get(url).status_code == 404
    client.force_login(users["officer"])
    assert client.get(url).status_code == 404
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200
