"""The annual report's layout (issue #14, "Reports a committee can take"): a table of contents on
the web page and in the PDF, a cover with plan, year, status and date, "Utkast" on every page of a
draft's PDF, and page numbers against the contents."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from civsam.core.rendering import anonymous_request
from civsam.plan import rendering, services

pytestmark = pytest.mark.django_db


def _toc_targets(html: str) -> list[str]:
    toc = re.search(r'<nav class="report-toc".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="#([^"]+)"', toc)


def test_the_web_report_has_a_table_of_contents_that_reaches_every_section(client, report_world, users):
    services.report_text_save(actor=users["admin"], report=report_world, body_sv="Kommentar")
    client.force_login(users["admin"])
    html = client.get(reverse("plan:report-detail", args=["2022-2025", 2024])).content.decode()
    targets = _toc_targets(html)
    section_ids = re.findall(r'<h2 id="(h-[^"]+)"', html)
    assert targets == [i for i in section_ids if i != "h-toc"]  # every section, in order, nothing else
    assert targets[:3] == ["h-summary", "h-text", "h-fa1"] and "h-ind" in targets
    assert "Innehåll" in html and "report-cover-facts" not in html  # the cover is the PDF's


def _pdf_html(report, *, draft: bool) -> str:
    with translation.override("sv"):
        if not draft:
            services.report_publish(actor=None, report=report)
            report.refresh_from_db()
        context = {**rendering.report_context(report, pdf=True), "can_edit": False}
        return render_to_string(
            rendering.REPORT_TEMPLATE, context, request=anonymous_request(report.get_absolute_url())
        )


@pytest.mark.parametrize("draft", [True, False])
def test_the_pdf_has_a_cover_with_plan_year_status_and_date(report_world, draft):
    html = _pdf_html(report_world, draft=draft)
    cover = re.search(r'<header class="report-cover">.*?</header>', html, re.S).group(0)
    assert "Uppföljningsår" in cover and "2024" in cover and "2022–2025" in cover
    assert ("Utkast – inte publicerad" in cover) is draft
    assert ("Publicerad " in cover) is (not draft)


def _pages_text(html: str) -> list[str]:
    """The text of each page of the PDF as WeasyPrint lays it out (margin boxes included)."""
    from weasyprint import HTML

    from civsam.core.pdf import _fetcher_class

    fetcher = _fetcher_class()(allowed_protocols=("http", "https", "data"))
    document = HTML(string=html, base_url=settings.CIVSAM_BASE_URL, url_fetcher=fetcher, media_type="print").render()
    pages = []
    for page in document.pages:
        texts = [box.text for box in page._page_box.descendants() if hasattr(box, "text")]
        pages.append(" ".join(texts))
    return pages


@pytest.mark.slow
def test_a_drafts_pdf_says_utkast_on_every_page_and_its_contents_give_page_numbers(report_world):
    pages = _pages_text(_pdf_html(report_world, draft=True))
    assert len(pages) >= 3
    assert all("utkast – inte publicerad" in page.casefold() for page in pages)  # the running mark
    assert "Innehåll" in pages[0]  # the contents are on the cover page
    toc = pages[0][pages[0].index("Innehåll") :]
    numbers = [int(n) for n in re.findall(r"\.\s*(\d+)(?=\s|$)", toc)]
    assert numbers and numbers == sorted(numbers) and numbers[0] >= 2  # sections start after the cover
    assert all(re.search(r"\b\d+ / \d+\b", page) for page in pages)  # "page / pages" on each page


@pytest.mark.slow
def test_a_published_reports_pdf_has_no_draft_mark(report_world):
    pages = _pages_text(_pdf_html(report_world, draft=False))
    assert not any("utkast" in page.casefold() for page in pages)
