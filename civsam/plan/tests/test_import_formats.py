"""The plan's imports read every layout Civsam writes: the machine CSV, the CSV for Swedish Excel
(semicolon, BOM, labels as header, decimal comma) and XLSX; bad rows are reported in Swedish with
their line numbers and nothing is written (ADR 0091, ADR 0105)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from civsam.core.models import AuditEntry
from civsam.plan import imports, services
from civsam.plan.imports import _decimal, _RowError
from civsam.plan.models import IndicatorValue, Initiative

pytestmark = pytest.mark.django_db

EXCEL_HEADER = (
    "Referens;Titel;Status (kod);Startdatum;Aktivitetsområden (plan:kod);Annan ansvarig aktör;Budget (kr);Vikt\r\n"
)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _excel(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_excel_csv_export_imports_back_unchanged(client, users, make_initiative, plan):
    make_initiative(
        areas=("1.1", "1.2"),
        ref="x-1",
        progress=33,
        lead_name="Regionen",
        budget=Decimal("1234567.50"),
        weight=Decimal("2.5"),
    )
    export = client.get(reverse("plan:followup-export", args=[plan.slug, "csv-sv"]))
    data = _body(export)
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0] and b"Referens" in data
    assert "1234567,50" in data.decode("utf-8-sig")
    entries = AuditEntry.objects.count()
    result = imports.initiatives_import(actor=users["admin"], file_name="insatser-excel.csv", data=data)
    assert (result.ok, result.unchanged, result.created, result.updated) == (True, 1, 0, 0), result.errors
    assert AuditEntry.objects.count() == entries
    # Edited in Excel (a new budget with a decimal comma and a space between thousands): an update.
    edited = data.decode("utf-8-sig").replace("1234567,50", "2 000 000,25").encode("utf-8-sig")
    result = imports.initiatives_import(actor=users["admin"], file_name="insatser-excel.csv", data=edited)
    assert (result.ok, result.updated) == (True, 1), result.errors
    assert Initiative.objects.get(ref="x-1").budget == Decimal("2000000.25")


def test_the_xlsx_export_imports_back_unchanged(client, users, make_initiative, plan):
    make_initiative(areas=("1.1",), ref="x-2", progress=10, lead_name="Regionen", budget=Decimal("500"))
    data = client.get(reverse("plan:followup-export", args=[plan.slug, "xlsx"])).content
    result = imports.initiatives_import(actor=users["admin"], file_name="insatser.xlsx", data=data)
    assert (result.ok, result.unchanged) == (True, 1), result.errors


def test_an_excel_csv_written_by_hand_creates_initiatives(users, reference_data):
    text = EXCEL_HEADER + (
        "e-1;Läxhjälp;ongoing;2024-01-01;2022-2025:1.1;Röda Korset;120 000,50;1,5\r\n"
        "e-2;Språkcafé;planned;2024-02-01;2022-2025:1.2;Biblioteket;;\r\n"
    )
    result = imports.initiatives_import(actor=users["admin"], file_name="egen.csv", data=_excel(text))
    assert (result.ok, result.created) == (True, 2), result.errors
    first = Initiative.objects.get(ref="e-1")
    assert (first.budget, first.weight, first.lead_name) == (Decimal("120000.50"), Decimal("1.5"), "Röda Korset")


def test_header_cells_match_by_label_or_key_whatever_the_case(users, reference_data):
    text = "REF;titel;Status (KOD);start_date;aktivitetsområden (plan:kod);Annan  ansvarig aktör\r\n"
    text += "h-1;Rubrik;ongoing;2024-01-01;2022-2025:1.1;Regionen\r\n"
    result = imports.initiatives_import(actor=users["admin"], file_name="h.csv", data=_excel(text))
    assert (result.ok, result.created) == (True, 1), result.errors


def test_an_xlsx_written_by_hand_with_dates_and_numbers_as_cells(users, reference_data):
    import datetime

    rows = [
        [
            "Referens",
            "Titel",
            "Status (kod)",
            "Startdatum",
            "Aktivitetsområden (plan:kod)",
            "Annan ansvarig aktör",
            "Budget (kr)",
        ],
        ["x-9", "Från Excel", "ongoing", datetime.datetime(2024, 3, 1), "2022-2025:1.1", "Regionen", 2500.5],
    ]
    result = imports.initiatives_import(actor=users["admin"], file_name="bok.xlsx", data=_xlsx(rows))
    assert (result.ok, result.created) == (True, 1), result.errors
    made = Initiative.objects.get(ref="x-9")
    assert (made.start_date.isoformat(), made.budget) == ("2024-03-01", Decimal("2500.5"))


def test_bad_rows_in_an_excel_csv_are_reported_in_swedish_and_nothing_is_written(users, reference_data):
    text = EXCEL_HEADER + (
        "f-1;Bra;ongoing;2024-01-01;2022-2025:1.1;Regionen;1 000;1\r\n"
        "f-2;Fel belopp;ongoing;2024-01-01;2022-2025:1.1;Regionen;tusen;1\r\n"
        "f-3;Fel datum;ongoing;1/1 2024;2022-2025:1.1;Regionen;;\r\n"
        "f-4;Fel status;klar;2024-01-01;2022-2025:1.1;Regionen;;\r\n"
    )
    result = imports.initiatives_import(actor=users["admin"], file_name="fel.csv", data=_excel(text))
    assert not result.ok
    assert [line for line, _ in result.errors] == [3, 4, 5]
    assert "”tusen” är inte ett tal" in result.errors[0][1]
    assert "inte ett datum" in result.errors[1][1]
    assert "Okänd status ”klar”" in result.errors[2][1]
    assert not Initiative.objects.exists()


def test_missing_and_unknown_columns_are_named_by_label(users, reference_data):
    with pytest.raises(ValidationError) as missing:
        imports.initiatives_import(actor=users["admin"], file_name="m.csv", data=_excel("Referens;Titel\r\nm-1;X\r\n"))
    assert "Status (kod) (status)" in str(missing.value)
    with pytest.raises(ValidationError) as unknown:
        imports.initiatives_import(
            actor=users["admin"], file_name="u.csv", data=_excel(EXCEL_HEADER.strip() + ";Färg\r\n")
        )
    assert "Färg" in str(unknown.value)
    with pytest.raises(ValidationError) as doubled:
        imports.initiatives_import(
            actor=users["admin"], file_name="d.csv", data=_excel(EXCEL_HEADER.strip() + ";ref\r\n")
        )
    assert "Referens" in str(doubled.value)


def test_indicator_values_from_the_excel_csv_export(client, users, plan):
    indicator = services.indicator_create(actor=None, plan=plan, code="besok", name_sv="Besök", unit="antal")
    services.indicator_value_set(actor=None, indicator=indicator, year=2023, value=Decimal("1250.5"))
    data = _body(client.get(reverse("plan:indicator-export", args=[plan.slug, "csv-sv"])))
    assert "1250,5" in data.decode("utf-8-sig")
    same = imports.indicator_values_import(actor=users["admin"], file_name="utfall-excel.csv", data=data)
    assert (same.ok, same.unchanged) == (True, 1), same.errors
    edited = data.decode("utf-8-sig").replace("1250,5", "1 300,25").encode("utf-8-sig")
    changed = imports.indicator_values_import(actor=users["admin"], file_name="utfall-excel.csv", data=edited)
    assert (changed.ok, changed.updated) == (True, 1), changed.errors
    assert IndicatorValue.objects.get(indicator=indicator, year=2023).value == Decimal("1300.25")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", Decimal("12")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("3 000", Decimal("3000")),
        ("3\u00a0000,75", Decimal("3000.75")),
        ("1\u202f234\u202f567", Decimal("1234567")),
        ("-4,5", Decimal("-4.5")),
        ("\u22124,5", Decimal("-4.5")),
        ("", None),
    ],
)
def test_numbers_as_swedish_users_write_them(raw, expected):
    assert _decimal(raw, "Tal") == expected


@pytest.mark.parametrize("raw", ["tusen", "1,2,3", "NaN", "Infinity", "1.234,5", "12 kr"])
def test_what_is_no_number_is_refused(raw):
    with pytest.raises(_RowError):
        _decimal(raw, "Tal")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9))
def test_any_amount_written_the_swedish_way_reads_back(value):
    integer, _, fraction = format(abs(value), "f").partition(".")
    grouped = f"{int(integer):,}".replace(",", "\u00a0")
    written = ("-" if value < 0 else "") + grouped + ("," + fraction if fraction else "")
    assert _decimal(written, "Tal") == value


def test_the_import_page_takes_an_excel_csv_and_lists_columns_by_label(client, users, reference_data):
    client.force_login(users["admin"])
    page = client.get(reverse("plan:import", args=["insatser"])).content.decode()
    assert "Status (kod) (<code>status</code>)" in page
    text = EXCEL_HEADER + "p-1;Via sidan;ongoing;2024-01-01;2022-2025:1.1;Regionen;;\r\n"
    upload = SimpleUploadedFile("p.csv", _excel(text))
    html = client.post(reverse("plan:import", args=["insatser"]), {"file": upload}).content.decode()
    assert "Klart: 1 nya" in html
    assert Initiative.objects.filter(ref="p-1").exists()
