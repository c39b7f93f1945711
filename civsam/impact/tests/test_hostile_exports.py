"""Every download of the social-value app with text a spreadsheet would take for a formula: never
a formula, in CSV behind an apostrophe, in XLSX the exact text (issue #11)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civsam.impact import services
from civsam.impact.engine.xlsx import read_xlsx

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://example.com","klicka")', "+46 19 12 34 56", "-10 % återfall", "@SUM(A1:A3)"]


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def _cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _check(client, url_name, hostile_text, **kwargs):
    """The text in CSV (guarded), XLSX (exact, text, quote prefix) and JSON (as it is)."""
    rows = list(
        csv.reader(io.StringIO(_download(client, reverse(url_name, args=["csv"], **kwargs)).decode("utf-8-sig")))
    )
    flat = [cell for row in rows for cell in row]
    assert "'" + hostile_text in flat and hostile_text not in flat
    cells = _cells(_download(client, reverse(url_name, args=["xlsx"], **kwargs)))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    [cell] = [cell for cell in cells if cell.value == hostile_text]
    assert cell.quotePrefix
    data = json.loads(_download(client, reverse(url_name, args=["json"], **kwargs)))
    assert hostile_text in [value for row in data for value in row.values()]


@pytest.mark.parametrize("hostile_text", HOSTILE)
def test_the_proxy_library_download(client, reference_data, hostile_text):
    services.proxy_create(
        actor=None,
        name=hostile_text,
        unit="person och år",
        value=Decimal("1200.00"),
        price_year=2022,
        source="Exempelkälla",
        category="social",
    )
    _check(client, "impact:proxy-export", hostile_text)


@pytest.mark.parametrize("hostile_text", HOSTILE)
def test_the_list_of_published_analyses(client, make_analysis, hostile_text):
    make_analysis(title=hostile_text, status="published")
    _check(client, "impact:analysis-export", hostile_text)


def test_the_impact_map_download_reads_back_as_it_was_stored(client, people, make_analysis, example_map):
    example_map["name"] = HOSTILE[0]
    example_map["stakeholders"][0]["name"] = HOSTILE[1]
    example_map["outcomes"][0]["outcome"] = HOSTILE[2]
    example_map["outcomes"][0]["proxySource"] = HOSTILE[3]
    analysis = make_analysis(impact_map=example_map, status="published")
    data = _download(client, reverse("impact:analysis-map", args=[analysis.pk, "xlsx"]))
    cells = _cells(data)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert {cell.value for cell in cells if cell.quotePrefix} >= set(HOSTILE)
    _impact_map, document = read_xlsx(io.BytesIO(data))
    assert document.model_dump(mode="json", by_alias=True, exclude_none=True) == analysis.impact_map
