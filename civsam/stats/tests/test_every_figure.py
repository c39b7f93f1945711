"""Every figure on the statistics pages has, beside it, its coverage note, a permanent link and
its downloads in every format (issue #16)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from civsam.core.exports import FORMATS
from civsam.stats.tests.test_pages import computed  # noqa: F401 - the fixture


def _sections(html: str) -> list[str]:
    return re.findall(r"<section\b.*?</section>", html, re.S)


def _problems(html: str) -> list[str]:
    problems = []
    sections = _sections(html)
    assert len(sections) >= 4
    for section in sections:
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", section, re.S).group(1)
        if "<table" not in section and "<svg" not in section:
            continue
        if "coverage-note" not in section:
            problems.append(f"{heading}: no coverage note")
        links = re.search(r'<p class="export-links">(.*?)</p>', section, re.S)
        if links is None:
            problems.append(f"{heading}: no downloads")
            continue
        hrefs = re.findall(r'href="([^"]+)"', links.group(1))
        for fmt in FORMATS:
            if not any(h.endswith(f".{fmt}") for h in hrefs):
                problems.append(f"{heading}: no {fmt}")
        if not any(re.search(r"/statistik/\d+/[a-z0-9-]+/(\?ar=\d{4})?$", h) for h in hrefs):
            problems.append(f"{heading}: no permanent link")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("area", ["18", "1880"])
def test_every_figure_has_its_note_link_and_downloads(client, computed, area):  # noqa: F811
    url = reverse("stats:county") if area == "18" else reverse("stats:area", args=[area])
    html = client.get(url + "?ar=2023").content.decode()
    assert _problems(html) == []


@pytest.mark.django_db
def test_the_check_finds_a_section_without_downloads(client, computed):  # noqa: F811
    html = client.get(reverse("stats:county") + "?ar=2023").content.decode()
    stripped = re.sub(r'<p class="export-links">.*?</p>', "", html, count=1, flags=re.S)
    assert any("no downloads" in p for p in _problems(stripped))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_all_the_figures_in_one_download(client, computed, fmt):  # noqa: F811
    response = client.get(reverse("stats:all-export", args=[fmt]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "json":
        assert b'"organisations"' in body and b'"municipality"' in body
    assert client.get(reverse("stats:all-export", args=["pdf"])).status_code == 404
