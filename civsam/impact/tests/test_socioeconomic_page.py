"""The socio-economic account page: login, the scenario preset, the result per bearer and year, the
errors next to the fields, KPI indexing of the unit costs and the downloads of the result table."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from civsam.impact.kpi import KpiTable, kpi_table
from civsam.impact.views import socioeconomic as socioeconomic_views

URL = reverse("impact:socioeconomic-account")


def query(**change) -> dict:
    data = {
        "scenario": "exclusion_to_work",
        "name": "Arbete i Vivalla",
        "before": [
            "ekonomiskt_bistand",
            "handlaggning_ekonomiskt_bistand",
            "arbetsmarknadsinsats_stat",
            "vardkontakter_utanforskap",
        ],
        "after": ["anstallning_heltid"],
        "persons": "2",
        "years": "3",
        "discount_rate": "3,5",
        "price_year": "2024",
        "initiative_cost": "80000",
        "initiative_bearer": "municipality",
    }
    data.update(change)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def officer_client(client, users):
    client.force_login(users["officer"])
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_login_is_required(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("impact:socioeconomic-account-export", args=["csv"])).status_code == 302


def test_first_visit_shows_the_scenarios_preset_and_the_unit_costs_with_source(officer_client):
    html = officer_client.get(URL).content.decode()
    assert 'value="Från långvarigt utanförskap till arbete"' in html
    assert 'value="ekonomiskt_bistand"' in html and 'id="h-result"' not in html
    # The preset ticks the example's entries: four before, employment after.
    assert html.count("checked") == 5
    assert "Illustrativt exempel</span>" in html and "Källans år" in html
    assert "KPI-tabellen saknar årsmedeltal för 2024" in html  # the honest price-year help text


def test_custom_scenario_ticks_nothing(officer_client):
    html = officer_client.get(URL, {"scenario": "custom"}).content.decode()
    assert html.count("checked") == 0


def test_the_result_per_bearer_and_year(officer_client):
    response = officer_client.get(URL, query())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Resultat: Arbete i Vivalla" in html
    # Two persons: the municipality saves 2 × (96 000 + 20 000), gains 2 × 63 000 of tax, pays 80 000 in year 1.
    assert "278\xa0000,00" in html and "358\xa0000,00" in html
    # Society in year 1: 2 × (179 000 + 44 110 + 144 260 + 106 890) − 80 000 = 868 520.
    assert "868\xa0520,00" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "account-chart-desc" in html
    assert "Resultatet bygger på illustrativa exempel" in html
    assert reverse("impact:socioeconomic-account-export", args=["xlsx"]) + "?" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"years": "0"}, "years", "Kontrollera att detta värde är större än eller lika med 1."),
        ({"years": "31"}, "years", "Kontrollera att detta värde är mindre än eller lika med 30."),
        ({"persons": "tre"}, "persons", "Fyll i ett heltal."),
        ({"discount_rate": "-60"}, "discount_rate", "större än eller lika med -50"),
        ({"name": ""}, "name", "Detta fält måste fyllas i."),
        ({"before": [], "after": []}, "before", "Välj minst en post före eller efter förändringen."),
        ({"after": ["ekonomiskt_bistand"]}, "after", "En post kan inte vara med både före och efter"),
        ({"after": ["okand_post"]}, "after", "Välj ett giltigt alternativ."),
        ({"price_year": "1999"}, "price_year", "Välj ett giltigt alternativ."),
        ({"initiative_cost": "-1"}, "initiative_cost", "större än eller lika med 0"),
    ],
)
def test_errors_are_swedish_and_next_to_their_field(officer_client, change, field, message):
    response = officer_client.get(URL, query(**change))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'id="h-result"' not in html
    # The summary links to the field (for a group of checkboxes, to the group's element).
    assert f'<a href="#id_{field}">' in html and f'id="id_{field}"' in html
    # The error is in the field's own wrapper (marked invalid), right before the input.
    errors_at = html.index(f'id="id_{field}_error"')
    wrapper_at = html.rindex('class="field', 0, errors_at)
    assert "field-invalid" in html[wrapper_at:errors_at]
    assert escape(message) in html[errors_at : html.index("</ul>", errors_at)]


@pytest.fixture
def kpi_with_2024(monkeypatch):
    """A KPI table with a made-up 2024 and 2023 (the shipped one ends at 2023), for the indexing path."""
    real = kpi_table()
    table = KpiTable(
        name=real.name,
        base_year=1980,
        publisher=real.publisher,
        title=real.title,
        url=real.url,
        note="",
        values={2023: Decimal("400.00"), 2024: Decimal("420.00")},
    )
    monkeypatch.setattr(socioeconomic_views, "kpi_table", lambda: table)
    return table


def test_unit_costs_and_result_in_another_price_year(officer_client, kpi_with_2024):
    html = officer_client.get(URL).content.decode()
    assert '<option value="2023">2023</option>' in html
    response = officer_client.get(URL, query(price_year="2023", persons="1", initiative_cost="", years="1"))
    html = response.content.decode()
    assert "Enhetskostnader i 2023 års priser" in html
    # 96 000 × 400 / 420 = 91 428,57 (the unit-cost table and the individual's loss of it).
    assert "91\xa0428,57" in html
    municipality = response.context["totals"][0]
    # (96 000 + 20 000 + 63 000) × 400 / 420, each entry rounded to öre: 91 428,57 + 19 047,62 + 60 000,00.
    assert municipality.net == Decimal("170476.19")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_result_table_downloads_in_every_format(officer_client, fmt):
    response = officer_client.get(reverse("impact:socioeconomic-account-export", args=[fmt]), query())
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="socioekonomiskt-bokslut.{fmt}"'
    body = body_of(response)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    elif fmt == "json":
        rows = json.loads(body)
    else:
        values = list(load_workbook(io.BytesIO(body)).active.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert len(rows) == 3 * 5  # three years × four bearers and society
    first = rows[0]
    assert (str(first["ar"]), first["barare"], first["barare_namn"]) == ("1", "municipality", "Kommunen")
    assert Decimal(str(first["netto"])) == Decimal("278000.00")
    assert Decimal(str(first["intakter"])) == Decimal("358000.00") and Decimal(str(first["kostnader"])) == 80000
    # 278 000 / 1,035 = 268 599,03
    assert Decimal(str(first["nuvarde"])) == Decimal("268599.03")
    society = [r for r in rows if r["barare"] == "society"]
    assert [Decimal(str(r["netto"])) for r in society] == [Decimal(v) for v in ("868520.00", "948520.00", "948520.00")]


def test_export_of_invalid_input_goes_back_to_the_page(officer_client):
    response = officer_client.get(reverse("impact:socioeconomic-account-export", args=["csv"]), query(years="0"))
    assert response.status_code == 302 and response["Location"].startswith(URL + "?")
    assert officer_client.get(reverse("impact:socioeconomic-account-export", args=["pdf"]), query()).status_code == 404


def test_linked_from_the_social_value_pages(officer_client, reference_data):
    for page in ("impact:analysis-list", "impact:proxy-list"):
        assert f'href="{URL}"' in officer_client.get(reverse(page)).content.decode()


def test_the_page_in_english(officer_client, settings):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The locale middleware leaves English active in this thread; override restores Swedish after.
    with translation.override(settings.LANGUAGE_CODE):
        invalid = officer_client.get(URL, query(years="0")).content.decode()
        html = officer_client.get(URL, query(discount_rate="3.5")).content.decode()  # English decimal point
    assert "<h1>Socio-economic account</h1>" in invalid
    assert "Number of years" in invalid and "Society as a whole" not in invalid  # no result for invalid input
    assert "Net per bearer and year" in html and "Society as a whole" in html and ">Municipality<" in html
