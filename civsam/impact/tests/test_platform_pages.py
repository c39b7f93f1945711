"""Pages: the proxy library with KPI indexing and exports, the analysis list, the report (HTML and PDF),
uploading and downloading impact maps, and the review workflow through the browser forms."""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from civsam.impact import services
from civsam.impact.engine import parse_impact_map
from civsam.impact.engine.xlsx import write_xlsx
from civsam.impact.models import FinancialProxy, SocialValueAnalysis

Status = SocialValueAnalysis.Status


def login(client, user):
    client.force_login(user)
    return client


def xlsx_upload(document: dict, name: str = "karta.xlsx") -> SimpleUploadedFile:
    _map, parsed = parse_impact_map(document)
    buffer = io.BytesIO()
    write_xlsx(parsed, buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def form_data(people, **extra) -> dict:
    data = {"title": "Språkcafé", "summary": "", "owner": f"m-{people['orebro'].pk}", "owner_orgnr": ""}
    data.update(extra)
    return data


# --- Proxy library -------------------------------------------------------------------------------


@pytest.fixture
def proxies(reference_data):
    services.proxies_load_starter_set()
    return FinancialProxy.objects.all()


def test_proxy_list_is_public_and_indexes_to_a_chosen_year(client, proxies):
    response = client.get(reverse("impact:proxy-list"), {"q": "prisbasbelopp", "index_year": "2023"})
    assert response.status_code == 200
    html = response.content.decode()
    # 47 300 kronor in 2020 prices is 56 843,92 in 2023 prices (KPI 403,70 / 335,92).
    assert "56\xa0843,92" in html
    assert "I 2023 års priser" in html
    assert "KPI saknas för prisåret" in html  # 2024 and 2025 are not in the shipped table
    assert "Ekonomiskt bistånd" not in html  # filtered by the search


def test_proxy_list_marks_illustrative_entries(client, proxies):
    html = client.get(reverse("impact:proxy-list")).content.decode()
    assert html.count("Illustrativt exempel</span>") == FinancialProxy.objects.filter(is_illustrative=True).count()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_proxy_export_in_every_format(client, proxies, fmt):
    response = client.get(reverse("impact:proxy-export", args=[fmt]), {"q": "prisbasbelopp", "index_year": "2023"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    elif fmt == "json":
        rows = json.loads(body)
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        values = list(sheet.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    by_year = {int(row["prisar"]): row for row in rows}
    assert set(by_year) == {2020, 2023, 2024, 2025}
    assert Decimal(str(by_year[2020]["varde_2023"])) == Decimal("56843.92")
    assert by_year[2024]["varde_2023"] in (None, "")


def test_proxy_export_unknown_format_is_404(client, proxies):
    assert client.get(reverse("impact:proxy-export", args=["pdf"])).status_code == 404


def test_staff_add_a_proxy_through_the_form(client, people):
    login(client, people["officer"])
    data = {
        "name": "Undvikt akutbesök",
        "description": "",
        "category": "health",
        "unit": "besök",
        "value": "3500",
        "currency": "SEK",
        "price_year": "2021",
        "source": "Testkälla",
        "source_url": "",
    }
    response = client.post(reverse("impact:proxy-create"), data)
    assert response.status_code == 302
    proxy = FinancialProxy.objects.get(name="Undvikt akutbesök")
    assert proxy.value == Decimal("3500.00") and not proxy.is_illustrative
    response = client.post(reverse("impact:proxy-edit", args=[proxy.pk]), {**data, "source": ""})
    assert response.status_code == 200
    assert "Formuläret innehåller fel" in response.content.decode()


def test_representatives_may_not_add_proxies(client, people):
    login(client, people["rep"])
    assert client.get(reverse("impact:proxy-create")).status_code == 403


# --- Analyses: list and report -------------------------------------------------------------------


def test_list_shows_published_to_all_and_drafts_to_those_who_work_on_them(client, people, make_analysis):
    make_analysis(title="Publicerad analys", status="published")
    make_analysis(title="Hemligt utkast")
    html = client.get(reverse("impact:analysis-list")).content.decode()
    assert "Publicerad analys" in html and "Hemligt utkast" not in html
    login(client, people["officer2"])
    html = client.get(reverse("impact:analysis-list")).content.decode()
    assert "Hemligt utkast" in html and "Mina utkast" in html


def test_report_has_every_part_and_the_numbers_behind_each_chart(client, people, make_analysis):
    analysis = make_analysis(title="Arbetsträning", status="published", activities="Arbetsträning\nHandledning")
    response = client.get(analysis.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for text in (
        "Förändringsteori",
        "Insatser",
        "Aktiviteter",
        "Prestationer",
        "Utfall",
        "Effekt",
        "Handledning",
        "Antaganden och källor",
        "Ingen källa angiven i effektkartan",
        "Påhittat exempel: föreningens egen uppskattning av ett timvärde",  # the hour rate's source
        "Osäkerhetsintervall för kvoten",
        "5:e–95:e percentilen i 10\xa0000 dragningar",  # the number grouped as Swedish writes it
        "Siffrorna i diagrammet: antal dragningar per intervall av SROI-kvoten",
        "Siffrorna i diagrammet: de 10 av 26 antaganden som påverkar mest",
        "Brytpunkter",
        "Varningar",
        "av nuvärdet kommer från ett enda antagande",  # the dominant-assumption warning from the guards
    ):
        assert text in html, text
    # Two charts, each an image with a title and a text alternative, each followed by its table.
    charts = re.findall(r'<svg[^>]*role="img"[^>]*aria-labelledby="(\S+)-title \1-desc"', html)
    assert charts == ["histogram", "tornado"]
    for chart in charts:
        after = html[html.index(f'aria-labelledby="{chart}-title') :]
        assert after.index("</svg>") < after.index("<table")
    assert 'id="tornado-desc">Liggande stapeldiagram med 10 antaganden' in html
    # Every outcome row of the map is in the impact-map table.
    for outcome in analysis.impact_map["outcomes"]:
        assert outcome["outcome"] in html
    # Names of people are not shown to the public.
    assert "Författare" not in html


def test_the_sensitivity_range_stands_in_when_there_are_no_distributions(client, people, make_analysis, example_map):
    example_map.pop("distributions")
    example_map.pop("monteCarlo")
    analysis = make_analysis(status="published", impact_map=example_map)
    html = client.get(analysis.get_absolute_url()).content.decode()
    assert "när ett antagande i taget ändras (inga fördelningar angivna)" in html
    assert 'aria-labelledby="histogram-title' not in html
    assert 'aria-labelledby="tornado-title' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_published_list_exports_with_key_figures(client, people, make_analysis, fmt):
    published = make_analysis(title="Publicerad analys", status="published")
    make_analysis(title="Hemligt utkast")
    response = client.get(reverse("impact:analysis-export", args=[fmt]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    elif fmt == "json":
        rows = json.loads(body)
        rows = rows["items"] if isinstance(rows, dict) else rows
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        values = list(sheet.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert len(rows) == 1  # drafts are not in the public list
    row = {key.casefold(): value for key, value in rows[0].items()}
    ratio_key = next(key for key in row if "sroi" in key)
    assert float(row[ratio_key]) == pytest.approx(published.results["sroiRatio"])
    assert any(str(value) == "1880" for value in row.values())  # the owner's municipality code
    assert "Publicerad analys" in row.values()


def test_the_list_page_links_its_exports(client, people, make_analysis):
    make_analysis(status="published")
    html = client.get(reverse("impact:analysis-list")).content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert reverse("impact:analysis-export", args=[fmt]) in html
    assert client.get(reverse("impact:analysis-export", args=["pdf"])).status_code == 404


def test_report_states_the_maps_own_sensitivity_ranges_and_every_input(client, people, make_analysis, example_map):
    example_map["sensitivity"] = {"relative": 30, "percentagePoints": 15, "durationYears": 2, "discountRatePoints": 1.5}
    analysis = make_analysis(status="published", impact_map=example_map)
    html = client.get(analysis.get_absolute_url()).content.decode()
    assert "±30 % för belopp och antal, ±15 procentenheter för procentsatser, ±2 år" in html
    assert "±1,5 procentenheter för diskonteringsräntan" in html
    # The inputs are assumptions too: each amount in the assumptions table.
    assert "Pengar – Verksamhetsbidrag (Kommunen)" in html
    assert "Ideella timmar – Handledare, ideellt (Föreningen Exempel)" in html


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("plain", 403), ("officer_kumla", 403), ("officer2", 200)]
)
def test_a_draft_report_is_for_those_who_work_on_it(client, people, make_analysis, who, status):
    analysis = make_analysis()
    if people[who] is not None:
        login(client, people[who])
    for url in (
        analysis.get_absolute_url(),
        reverse("impact:analysis-map", args=[analysis.pk, "json"]),
        reverse("impact:analysis-map", args=[analysis.pk, "xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_analysis_is_404(client, reference_data):
    assert client.get(reverse("impact:analysis-detail", args=[999])).status_code == 404


@pytest.mark.slow
def test_the_pdf_is_a_tagged_pdf_of_the_same_report(
    client, people, make_analysis, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        analysis = make_analysis(title="Rapport om läxhjälp", status="published")
    run_tasks()  # publication queues the PDF; the worker renders it (test_analysis_pdfs.py)
    response = client.get(reverse("impact:analysis-pdf", args=[analysis.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    text = _pdf_streams(content)
    assert "Rapport om läxhjälp".encode() in text  # the title, in the XMP metadata
    assert b"pdfuaid:part" in text and b"StructTreeRoot" in text and b"/Lang (sv)" in text


def _pdf_streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, inflated where it is compressed."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


# --- Analyses: create, upload, download, review --------------------------------------------------


def test_xlsx_round_trip_through_upload_and_download(client, people, example_map):
    login(client, people["officer"])
    response = client.post(
        reverse("impact:analysis-create"), form_data(people, impact_map_file=xlsx_upload(example_map))
    )
    assert response.status_code == 302
    analysis = SocialValueAnalysis.objects.get(title="Språkcafé")
    assert analysis.author == people["officer"] and analysis.owner_municipality == people["orebro"]
    original, _parsed = parse_impact_map(example_map)
    stored, _parsed = parse_impact_map(analysis.impact_map)
    assert stored == original

    download = client.get(reverse("impact:analysis-map", args=[analysis.pk, "xlsx"]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="effektkarta-{analysis.pk}.xlsx"'
    # The downloaded workbook uploads again to the same map.
    edited = client.post(
        reverse("impact:analysis-edit", args=[analysis.pk]),
        form_data(people, title="Språkcafé 2", impact_map_file=SimpleUploadedFile("igen.xlsx", download.content)),
    )
    assert edited.status_code == 302
    analysis.refresh_from_db()
    again, _parsed = parse_impact_map(analysis.impact_map)
    assert again == original and analysis.title == "Språkcafé 2"

    as_json = client.get(reverse("impact:analysis-map", args=[analysis.pk, "json"]))
    assert json.loads(as_json.content) == analysis.impact_map


def test_upload_errors_name_sheet_and_row_in_swedish(client, people, example_map):
    login(client, people["officer"])
    upload = xlsx_upload(example_map)
    book = load_workbook(io.BytesIO(upload.read()))
    book["Utfall"]["E3"] = "sex"  # Antal on the second outcome row
    book["Insatser"]["B2"] = "okänd"
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        reverse("impact:analysis-create"),
        form_data(people, impact_map_file=SimpleUploadedFile("fel.xlsx", buffer.getvalue())),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utfall, rad 3, Antal: Måste vara ett tal." in html
    assert not SocialValueAnalysis.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{inte json", "Filen är inte giltig JSON."),
        (json.dumps({"name": "X", "stakeholders": [], "outcomes": []}).encode(), "stakeholders: Antalet poster"),
        (b"PK\x03\x04 trasig", "Filen kunde inte läsas som en XLSX-arbetsbok."),
    ],
)
def test_upload_errors_for_json_and_broken_files(client, people, content, message):
    login(client, people["officer"])
    response = client.post(
        reverse("impact:analysis-create"),
        form_data(people, impact_map_file=SimpleUploadedFile("karta.json", content)),
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_owner_by_organisation_number_needs_permission(client, people, example_map):
    login(client, people["officer"])
    other = people["other_org"]  # in Kumla, outside the officer's municipality
    response = client.post(
        reverse("impact:analysis-create"), form_data(people, owner="", owner_orgnr=other.orgnr_display)
    )
    assert "Du får inte göra analyser för den organisationen." in response.content.decode()
    own = people["own_org"]
    response = client.post(
        reverse("impact:analysis-create"), form_data(people, owner="", owner_orgnr=own.orgnr_display)
    )
    assert response.status_code == 302
    assert SocialValueAnalysis.objects.get().owner_organisation == own


def test_region_administrators_may_choose_the_region_as_owner(client, people, example_map):
    login(client, people["officer"])
    assert 'value="region"' not in client.get(reverse("impact:analysis-create")).content.decode()
    refused = client.post(reverse("impact:analysis-create"), form_data(people, owner="region"))
    assert refused.status_code == 200 and not SocialValueAnalysis.objects.exists()
    login(client, people["admin"])
    html = client.get(reverse("impact:analysis-create")).content.decode()
    assert "Regionen: Region Örebro län" in html
    response = client.post(
        reverse("impact:analysis-create"),
        form_data(people, owner="region", impact_map_file=xlsx_upload(example_map)),
    )
    assert response.status_code == 302
    analysis = SocialValueAnalysis.objects.get()
    assert analysis.owner_region and analysis.owner_municipality is None
    page = client.get(analysis.get_absolute_url()).content.decode()
    assert "<dd>Region Örebro län</dd>" in page
    edit = client.get(reverse("impact:analysis-edit", args=[analysis.pk])).content.decode()
    assert '<option value="region" selected>' in edit


def test_submit_and_review_through_the_pages(client, people, make_analysis):
    analysis = make_analysis()
    login(client, people["officer"])
    client.post(reverse("impact:analysis-submit", args=[analysis.pk]))
    analysis.refresh_from_db()
    assert analysis.status == Status.IN_REVIEW
    # The author is sent back with an explanation instead of a review form.
    response = client.get(reverse("impact:analysis-review", args=[analysis.pk]), follow=True)
    assert "Du kan inte granska en analys som du själv har skrivit eller skickat in." in response.content.decode()

    login(client, people["officer2"])
    response = client.post(reverse("impact:analysis-review", args=[analysis.pk]), {"decision": "return", "comment": ""})
    assert "Skriv vad som behöver ändras." in response.content.decode()
    client.post(reverse("impact:analysis-review", args=[analysis.pk]), {"decision": "return", "comment": "Källor!"})
    analysis.refresh_from_db()
    assert analysis.status == Status.DRAFT

    login(client, people["officer"])
    assert "Källor!" in client.get(analysis.get_absolute_url()).content.decode()
    client.post(reverse("impact:analysis-submit", args=[analysis.pk]))
    login(client, people["officer2"])
    client.post(reverse("impact:analysis-review", args=[analysis.pk]), {"decision": "approve", "comment": ""})
    analysis.refresh_from_db()
    assert analysis.status == Status.PUBLISHED and analysis.results is not None


def test_edit_is_refused_once_submitted(client, people, make_analysis):
    analysis = make_analysis(status="in_review")
    login(client, people["officer"])
    assert client.get(reverse("impact:analysis-edit", args=[analysis.pk])).status_code == 403


def test_an_outcome_that_starts_later_says_so_in_the_report(client, people, make_analysis, example_map):
    example_map["outcomes"][2]["startYear"] = 2
    analysis = make_analysis(status="published", impact_map=example_map)
    html = client.get(analysis.get_absolute_url()).content.decode()
    assert "Deltagare: Starkare socialt sammanhang (2 år från år 2)" in html
    assert "Deltagare: Har fått arbete (3 år)" in html
    assert "från år 2</span>" in html  # in the impact-map table
    # The year after the activity: the map's horizon is one year longer.
    assert [y["year"] for y in analysis.results["years"]] == [1, 2, 3]
    example_map["outcomes"][2]["startYear"] = 3
    later = make_analysis(status="published", impact_map=example_map, title="Senare")
    assert [y["year"] for y in later.results["years"]] == [1, 2, 3, 4]
