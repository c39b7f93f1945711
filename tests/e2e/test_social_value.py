"""Social value in the browser: a draft from an uploaded impact map, returned by a second person with
a comment, revised as XLSX, approved and published; the report (HTML, PDF, XLSX), the list's export
and the proxy library with KPI indexing. axe-core checks every
page visited (tests/e2e/conftest.py)."""

from __future__ import annotations

import io
import json
import re
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
EXAMPLE_MAP = Path(__file__).resolve().parents[2] / "docs" / "examples" / "impact-map-example.json"


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data


def _logout(site) -> None:
    site.page.context.clear_cookies()


def test_draft_review_and_published_report(site, login, e2e_data, tmp_path, settings):
    from django.core.management import call_command

    from civsam.impact.engine import parse_impact_map
    from civsam.impact.engine.xlsx import write_xlsx
    from civsam.impact.models import SocialValueAnalysis

    settings.MEDIA_ROOT = tmp_path / "media"  # the rendered PDF
    page = site.page
    login("rep")
    site.goto("/samhallsnytta/")
    site.follow(lambda: page.get_by_role("link", name="Ny analys").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny analys")

    # A wrong file first: the form says what is wrong, in Swedish, and nothing is saved.
    page.get_by_label("Titel").fill("Arbetsträning i Vivalla")
    page.get_by_label("Ägare", exact=True).select_option(label="Organisation: Vivalla Idrottsförening")
    page.get_by_label("Effektkarta (XLSX eller JSON)").set_input_files(
        files=[{"name": "karta.json", "mimeType": "application/json", "buffer": b'{"name": "Tom"}'}]
    )
    site.follow(lambda: page.get_by_role("button", name="Spara utkastet").click(), status=200)
    expect(page.locator(".error-summary")).to_contain_text("stakeholders: Fältet krävs.")
    assert not SocialValueAnalysis.objects.exists()

    page.get_by_label("Titel").fill("Arbetsträning i Vivalla")
    page.get_by_label("Ägare", exact=True).select_option(label="Organisation: Vivalla Idrottsförening")
    page.get_by_label("Aktiviteter").fill("Arbetsträning tre dagar i veckan\nHandledning av ideella")
    page.get_by_label("1.3", exact=False).first.check()
    page.get_by_label("Effektkarta (XLSX eller JSON)").set_input_files(str(EXAMPLE_MAP))
    site.follow(lambda: page.get_by_role("button", name="Spara utkastet").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsträning i Vivalla")
    expect(page.get_by_role("note")).to_contain_text("Det här är ett utkast")
    expect(page.get_by_role("heading", level=2, name="Förändringsteori")).to_be_visible()
    expect(page.get_by_text("Arbetsträning tre dagar i veckan")).to_be_visible()
    expect(page.locator("#h-warnings ~ ul.warnings li").first).to_contain_text("Varning:")
    # Issue 18: the unmarked transfer is flagged with where it applies, and the conventions are stated.
    expect(page.locator("#h-warnings ~ ul.warnings")).to_contain_text(
        "Gäller: Utfall ”Minskat behov av ekonomiskt bistånd”, transferering"
    )
    expect(page.get_by_role("heading", level=2, name="Konventioner")).to_be_visible()
    expect(page.get_by_role("table", name="Motiveringar och evidensgrad")).to_contain_text("medel")
    analysis = SocialValueAnalysis.objects.get()
    assert analysis.status == "draft" and analysis.author == e2e_data.users["rep"]

    site.follow(lambda: page.get_by_role("button", name="Skicka för granskning").click())
    expect(page.get_by_role("note")).to_contain_text("Analysen granskas")
    expect(page.get_by_role("link", name="Granska")).to_have_count(0)  # not one's own work

    # The officer of the organisation's municipality is the second person.
    _logout(site)
    login("officer")
    site.goto(analysis.get_absolute_url())
    site.follow(lambda: page.get_by_role("link", name="Granska").click())
    page.get_by_label("Skicka tillbaka till författaren med en kommentar").check()
    site.follow(lambda: page.get_by_role("button", name="Spara beslutet").click(), status=200)
    expect(page.locator(".error-summary")).to_contain_text("Skriv vad som behöver ändras.")
    page.get_by_role("textbox", name="Kommentar").fill("Ange källa för timvärdet och räkna med tre års varaktighet.")
    site.follow(lambda: page.get_by_role("button", name="Spara beslutet").click())
    expect(page.get_by_role("note")).to_contain_text("Ange källa för timvärdet")
    analysis.refresh_from_db()
    assert analysis.status == "draft"

    # The author revises the draft in a spreadsheet and uploads it as XLSX.
    _logout(site)
    login("rep")
    site.goto(analysis.get_absolute_url())
    site.follow(lambda: page.get_by_role("link", name="Ändra").click())
    revised = json.loads(EXAMPLE_MAP.read_text(encoding="utf-8"))
    revised["outcomes"][2]["duration"] = 3
    _map, parsed = parse_impact_map(revised)
    workbook = tmp_path / "reviderad.xlsx"
    with workbook.open("wb") as handle:
        write_xlsx(parsed, handle)
    page.get_by_label("Effektkarta (XLSX eller JSON)").set_input_files(str(workbook))
    site.follow(lambda: page.get_by_role("button", name="Spara utkastet").click())
    analysis.refresh_from_db()
    assert analysis.impact_map["outcomes"][2]["duration"] == 3
    site.follow(lambda: page.get_by_role("button", name="Skicka för granskning").click())

    _logout(site)
    login("officer")
    site.goto(f"/samhallsnytta/{analysis.pk}/granska/")
    page.get_by_label("Godkänn och publicera").check()
    site.follow(lambda: page.get_by_role("button", name="Spara beslutet").click())
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("publicerad")
    analysis.refresh_from_db()
    assert analysis.status == "published" and analysis.reviewer == e2e_data.users["officer"]

    # The public sees the published report, its figures and its downloads.
    _logout(site)
    site.goto("/samhallsnytta/")
    ratio = f"{analysis.results['sroiRatio']:.2f}".replace(".", ",")
    expect(page.get_by_role("row", name="Arbetsträning i Vivalla")).to_contain_text(ratio)
    csv_link = page.get_by_role("link", name="CSV", exact=False).first.get_attribute("href")
    exported = page.request.get(site.url(csv_link))
    assert exported.ok and "Arbetsträning i Vivalla" in exported.text()
    site.follow(lambda: page.get_by_role("link", name="Arbetsträning i Vivalla").click())
    expect(page.locator(".key-figures")).to_contain_text(ratio)
    expect(page.get_by_role("img", name="ett antagande i taget ändras", exact=False)).to_be_visible()
    expect(page.get_by_role("table", name="Brytpunkter", exact=False)).to_be_visible()
    expect(page.get_by_text("Författare", exact=True)).to_have_count(0)  # names are for those who work on it

    # The PDF is rendered in the background (ADR 0049): the link first shows that it is being made,
    # the page polls its live region, and once the worker has run it offers the file.
    site.follow(lambda: page.get_by_role("link", name="Rapporten som PDF").click(), status=202)
    expect(page.get_by_role("status")).to_contain_text("PDF:en skapas")
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    expect(page.get_by_role("status")).to_contain_text("PDF:en är klar", timeout=20_000)
    site.check()
    file_link = page.get_by_role("link", name="Ladda ner PDF:en").get_attribute("href")
    pdf = page.request.get(site.url(file_link))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    site.goto(f"/samhallsnytta/{analysis.pk}/")
    streams = b"".join(_inflate(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", body, re.DOTALL))
    assert body[:5] == b"%PDF-" and b"StructTreeRoot" in streams and b"pdfuaid:part" in streams

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Effektkartan som XLSX").click()
    download = download_info.value
    from civsam.impact.engine.xlsx import read_xlsx

    impact_map, _document = read_xlsx(io.BytesIO(Path(download.path()).read_bytes()))
    assert [o.id for o in impact_map.outcomes] == ["arbete", "bistand", "sammanhang"]


def test_proxy_library_indexes_by_kpi(site, login, e2e_data):
    from civsam.impact import services

    services.proxies_load_starter_set()
    page = site.page
    site.goto("/samhallsnytta/proxyer/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    rows_before = page.locator("table.data-table tbody tr").count()
    assert rows_before > 0
    years = page.get_by_label("Räkna om till prisnivån år")
    target = years.locator("option").nth(1).get_attribute("value")
    years.select_option(target)
    site.follow(lambda: page.get_by_role("button", name="Sök").click())
    expect(page.get_by_role("columnheader", name=f"I {target} års priser", exact=False)).to_be_visible()

    login("officer")
    site.goto("/samhallsnytta/proxyer/ny/")
    page.get_by_label("Namn (obligatoriskt)").fill("Timvärde för ideellt arbete i Örebro")
    page.get_by_label("Enhet (obligatoriskt)").fill("timme")
    page.get_by_label("Värde (obligatoriskt)").fill("250")
    page.get_by_label("Prisår (obligatoriskt)").fill("2024")
    site.follow(lambda: page.get_by_role("button", name="Spara").click(), status=200)
    expect(page.locator(".error-summary")).to_be_visible()  # the source is required
    page.get_by_label("Källa (obligatoriskt)").fill("Föreningens egen uppskattning, styrelsebeslut 2024")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("link", name="Ändra Timvärde för ideellt arbete i Örebro")).to_be_visible()
    from civsam.impact.models import FinancialProxy

    assert FinancialProxy.objects.get(name="Timvärde för ideellt arbete i Örebro").value == 250
