"""The spreadsheet cell writer (civsam.core.exports): no text becomes a formula in any file Civsam
writes, XLSX keeps every text exactly, and no module writes a spreadsheet any other way."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.core.exports import (
    EXCEL_CSV,
    FORMATS,
    FORMULA_PREFIXES,
    Column,
    append_row,
    csv_cell,
    csv_rows,
    csv_stream,
    excel_cell,
    formula_like,
    new_workbook,
    strip_formula_guard,
    tabular_response,
    xlsx_bytes,
)

# (cell as stored, a formula to a spreadsheet?)
HOSTILE = [
    ("=1+1", True),
    ('=HYPERLINK("http://example.com","klicka")', True),
    ("=cmd|' /C calc'!A0", True),
    ("+46 19 123 45", True),
    ("-10 % återfall", True),
    ("-", True),
    ("@SUM(A1:A3)", True),
    ("\t=1+1", True),
    ("\r=1+1", True),
    ("==", True),
    ("Kumla SK", False),
    (" =1+1", False),  # a leading space makes it text
    ("'=1+1", False),  # already guarded by hand
    ("Föreningen =1+1", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "hostile"), HOSTILE)
def test_formula_like(text, hostile):
    assert formula_like(text) is hostile


@pytest.mark.parametrize(("text", "hostile"), HOSTILE)
def test_csv_puts_an_apostrophe_before_formulas_only(text, hostile):
    assert csv_cell(text) == ("'" + text if hostile else text)
    if not text.startswith("'"):  # a guard typed by hand comes off on import too
        assert strip_formula_guard(csv_cell(text)) == text


@pytest.mark.parametrize("value", [-5, -0.5, 12, 3.25, None, ["=a", "b"], ("-x",)])
def test_csv_leaves_numbers_alone_and_guards_joined_lists(value):
    cell = csv_cell(value)
    if isinstance(value, (int, float)):
        assert cell == value
    elif value is None:
        assert cell == ""
    else:
        assert cell.startswith("'")


def _read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_rows_guard_every_cell_and_keep_the_text_otherwise():
    rows = [[text for text, _hostile in HOSTILE]]
    [read] = _read_csv("".join(csv_rows(rows)))
    assert read == [csv_cell(text) for text, _hostile in HOSTILE]


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[-1]
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_keeps_each_text_exactly_and_never_as_a_formula(write_only):
    workbook = new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("Blad") if write_only else workbook.active
    texts = [text for text, _hostile in HOSTILE if "\r" not in text]  # XML reads CR as a line feed
    append_row(sheet, texts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = _xlsx_cells(buffer.getvalue())
    assert [cell.value or "" for cell in cells] == texts
    for cell, text in zip(cells, texts, strict=True):
        assert cell.data_type != "f", text
        assert cell.quotePrefix is formula_like(text), text


def test_xlsx_replaces_characters_it_cannot_hold():
    workbook = new_workbook()
    append_row(workbook.active, ["a\x01b", "\x0b=1", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [cell.value for cell in _xlsx_cells(buffer.getvalue())] == ["a\ufffdb", "\ufffd=1", 5]


COLUMNS = [Column("namn", "Namn", lambda row: row[0]), Column("belopp", "Belopp", lambda row: row[1])]


@pytest.mark.parametrize(("text", "hostile"), HOSTILE)
def test_every_format_of_a_table_download(text, hostile):
    rows = [(text, -100)]
    csv_text = b"".join(tabular_response("csv", COLUMNS, rows, "t").streaming_content).decode("utf-8")
    assert _read_csv(csv_text) == [["namn", "belopp"], [csv_cell(text), "-100"]]
    xlsx = tabular_response("xlsx", COLUMNS, rows, "t")
    assert xlsx["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    _header_name, _header_amount, name, amount = _xlsx_cells(xlsx.content)
    assert (name.value or "").replace("\n", "\r") == text and name.data_type != "f"
    assert name.quotePrefix is hostile
    assert amount.value == -100 and amount.data_type == "n"
    data = json.loads(b"".join(tabular_response("json", COLUMNS, rows, "t").streaming_content))
    assert data == [{"namn": text, "belopp": -100}]  # JSON is data, not a spreadsheet


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r")))
@settings(max_examples=200, deadline=None)
def test_xlsx_bytes_give_back_every_text(text):
    _header, cell = _xlsx_cells(xlsx_bytes(COLUMNS[:1], [(text,)]))
    expected = re.sub(r"[\000-\010\013\014\016-\037]", "\ufffd", text)
    assert (cell.value or "") == expected
    assert cell.quotePrefix is formula_like(expected)


# --- Every spreadsheet writer goes through this module ------------------------------------------

CIVSAM = Path(__file__).resolve().parents[2]
WRITERS = re.compile(r"\bWorkbook\(|from openpyxl import (?:.*\b)?Workbook\b|csv\.(?:writer|DictWriter)\(|\.append\(\[")


def _modules():
    for path in sorted(CIVSAM.rglob("*.py")):
        relative = path.relative_to(CIVSAM).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative == "core/exports.py":
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_module_writes_a_spreadsheet_but_through_core_exports():
    offenders = []
    for relative, text in _modules():
        uses_workbook = "new_workbook(" in text
        for line_number, line in enumerate(text.splitlines(), start=1):
            found = WRITERS.search(line)
            if found and (found.group() != ".append([" or uses_workbook):
                offenders.append(f"{relative}:{line_number}: {line.strip()}")
    assert not offenders, "write cells through civsam.core.exports (append_row, csv_rows):\n" + "\n".join(offenders)


def test_every_csv_response_is_written_by_core_exports():
    offenders = []
    for relative, text in _modules():
        # A module that names the CSV media type and builds a response (a catalogue of media types,
        # like the open data vocabulary, builds none).
        builds_response = re.search(r"\b(Streaming)?HttpResponse\(|\bFileResponse\(", text)
        if (
            "text/csv" in text
            and builds_response
            and not re.search(r"\b(csv_stream|csv_rows|tabular_response)\(", text)
        ):
            offenders.append(relative)
    assert not offenders, "CSV responses written by hand: " + ", ".join(offenders)


def test_the_formula_prefixes_are_the_usual_ones():
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}


# (value, the cell in the CSV for Swedish Excel)
EXCEL_CELLS = [
    (True, "Ja"),
    (False, "Nej"),
    (None, ""),
    (3000, 3000),
    (-5, "-5"),
    (Decimal("50.8"), "50,8"),
    (Decimal("-1.25"), "-1,25"),  # a negative number is no formula: no apostrophe
    (0.5, "0,5"),
    (datetime.date(2026, 3, 1), "2026-03-01"),
    (datetime.datetime(2026, 3, 1, 13, 5, tzinfo=datetime.UTC), "2026-03-01 14:05"),  # Stockholm time
    (["Kultur och fritid", "Sociala tjänster"], "Kultur och fritid; Sociala tjänster"),
    ("=1+1", "'=1+1"),
    ("-10 % återfall", "'-10 % återfall"),
    ("Örebro", "Örebro"),
]


@pytest.mark.parametrize(("value", "cell"), EXCEL_CELLS)
def test_excel_cell(value, cell):
    assert str(excel_cell(value)) == str(cell)


def test_the_excel_csv_opens_right_in_swedish_excel():
    columns = [*COLUMNS, Column("aktiv", "Aktiv", lambda row: row[2]), Column("andel", "Andel", lambda row: row[3])]
    rows = [("Glada Ekeby IF; Kumla", -100, True, Decimal("50.8"))]
    response = tabular_response(EXCEL_CSV, columns, rows, "t")
    assert response["Content-Disposition"] == 'attachment; filename="t-excel.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = raw.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0] == "Namn;Belopp;Aktiv;Andel"  # the Swedish labels, not the keys
    assert lines[1] == '"Glada Ekeby IF; Kumla";-100;Ja;50,8'


def test_the_machine_csv_stays_as_scripts_know_it():
    rows = [("a", Decimal("50.8"))]
    text = "".join(csv_stream(COLUMNS, rows)).lstrip("\ufeff")
    assert text.splitlines() == ["namn,belopp", "a,50.8"]


def test_the_download_links_offer_the_excel_csv_first():
    assert FORMATS[0] == EXCEL_CSV and "csv" in FORMATS
