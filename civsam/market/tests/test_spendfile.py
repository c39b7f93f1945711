"""Reading spend files: cells, rows and whole files (pure, no database)."""

from __future__ import annotations

import datetime
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.market import spendfile
from civsam.registry import orgnr as orgnr_rules

SUPPLIER = orgnr_rules.complete("802000123")  # an ideell förening's number with its check digit
OTHER = orgnr_rules.complete("556000123")


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1234", 123400),
        ("1 234,50", 123450),
        ("1\xa0234,5", 123450),
        ("1234.05", 123405),
        ("-300", -30000),
        ("0,01", 1),
        (1500, 150000),
        (12.5, 1250),
    ],
)
def test_amounts(text, ore):
    assert spendfile.parse_amount(text) == ore


@pytest.mark.parametrize("text", ["", "abc", "1,234,5", "12,345", "1e5", True])
def test_bad_amounts(text):
    with pytest.raises(ValueError):
        spendfile.parse_amount(text)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_amount_round_trip(ore):
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    assert spendfile.parse_amount(f"{sign}{kronor},{rest:02d}") == ore


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2025-03-31", 2025),
        ("20240101", 2024),
        (datetime.date(2023, 5, 1), 2023),
        (datetime.datetime(2022, 1, 2), 2022),
    ],
)
def test_years(value, year):
    assert spendfile.parse_year(value) == year


@pytest.mark.parametrize("value", ["2025-13-01", "31/12/2025", "1899-01-01", ""])
def test_bad_years(value):
    with pytest.raises(ValueError):
        spendfile.parse_year(value)


def test_a_personnummer_is_a_sole_trader_never_kept():
    assert spendfile.parse_orgnr("19850101-1234") == spendfile.PERSON
    assert spendfile.parse_orgnr("850101-1234") == spendfile.PERSON
    assert spendfile.parse_orgnr(SUPPLIER[:6] + "-" + SUPPLIER[6:]) == SUPPLIER


def _rows(lines):
    return list(lines)


def test_sums_per_year_and_supplier():
    sums = spendfile.sum_rows(
        _rows(
            [
                ["Köpare", "Leverantör orgnr", "Belopp", "Datum"],
                ["1880", SUPPLIER, "100,50", "2024-01-05"],
                ["1880", SUPPLIER, "200", "2024-06-05"],
                ["1880", OTHER, "50", "2025-02-01"],
                ["", "", "", ""],
            ]
        ),
        buyer_names=["1880", "Örebro"],
    )
    assert sums.error_count == 0
    assert sums.rows == 3
    assert sums.sums == {(2024, SUPPLIER): [30050, 2], (2025, OTHER): [5000, 1]}
    assert sums.years == [2024, 2025]


def test_every_bad_row_is_named_in_swedish():
    sums = spendfile.sum_rows(
        _rows(
            [
                ["köpare", "orgnr", "belopp", "datum"],
                ["1880", "123", "10", "2024-01-01"],
                ["1880", SUPPLIER, "tio", "2024-01-01"],
                ["1880", SUPPLIER, "10", "i fjol"],
                ["Kumla", SUPPLIER, "10", "2024-01-01"],
                ["1880", SUPPLIER],
                ["1880", SUPPLIER, "10", "2024-01-01"],
            ]
        ),
        buyer_names=["1880"],
    )
    assert sums.error_count == 5
    assert [error.split(":")[0] for error in sums.errors] == ["Rad 2", "Rad 3", "Rad 4", "Rad 5", "Rad 6"]
    assert "tio" in sums.errors[1] and "belopp" in sums.errors[1]
    assert "Kumla" in sums.errors[3]


def test_missing_columns_are_named():
    with pytest.raises(spendfile.SpendFileError, match="belopp"):
        spendfile.sum_rows(
            _rows([["köpare", "orgnr", "datum"], ["1880", SUPPLIER, "2024-01-01"]]), buyer_names=["1880"]
        )


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ";", b""), ("utf-8", ",", b"\xef\xbb\xbf"), ("cp1252", ";", b""), ("utf-16", "\t", b"")],
)
def test_csv_stream_in_common_encodings(encoding, delimiter, bom):
    text = delimiter.join(["Köpare", "Leverantör orgnr", "Belopp", "Datum"]) + "\r\n"
    text += (
        delimiter.join(["Örebro", SUPPLIER, '"1 000,00"' if delimiter == "," else "1 000,00", "2024-01-01"]) + "\r\n"
    )
    data = bom + text.encode(encoding)
    rows = spendfile.read_rows(io.BytesIO(data), "fil.csv")
    sums = spendfile.sum_rows(rows, buyer_names=["Örebro"])
    assert sums.sums == {(2024, SUPPLIER): [100000, 1]}


def test_xlsx_is_read():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["köpare", "orgnr", "belopp", "datum"])
    sheet.append(["1880", SUPPLIER, 250.5, datetime.date(2025, 1, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    sums = spendfile.sum_rows(spendfile.read_rows(buffer, "fil.xlsx"), buyer_names=["1880"])
    assert sums.sums == {(2025, SUPPLIER): [25050, 1]}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fil.pdf", b"%PDF", "CSV-fil"),
        ("fil.xlsx", b"not a zip", "inte en Excel-fil"),
        ("fil.csv", b"", "tom"),
        ("fil.csv", b"a\x00b\x01c", "binärdata"),
    ],
)
def test_unreadable_files(name, data, message):
    with pytest.raises(spendfile.SpendFileError, match=message):
        spendfile.sum_rows(spendfile.read_rows(io.BytesIO(data), name), buyer_names=["1880"])


@given(
    st.lists(
        st.tuples(
            st.sampled_from([SUPPLIER, OTHER, "19800101-1234"]),
            st.integers(min_value=-(10**9), max_value=10**11),
            st.sampled_from(["2023-01-31", "2024-02-29", "2025-12-01"]),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_column_wise_chunks_sum_as_row_by_row(rows):
    """The fast path (whole chunks in C) and the row-by-row path (taken when rows are kept) agree."""
    lines = [["köpare", "orgnr", "belopp", "datum"]]
    for supplier, ore, date in rows:
        kronor, rest = divmod(abs(ore), 100)
        lines.append(["1880", supplier, f"{'-' if ore < 0 else ''}{kronor:,}".replace(",", " ") + f",{rest:02d}", date])
    fast = spendfile.sum_rows(lines, buyer_names=["1880"])
    kept: list = []
    slow = spendfile.sum_rows(lines, buyer_names=["1880"], keep=lambda *row: kept.append(row))
    assert fast.sums == slow.sums
    assert fast.rows == slow.rows == len(kept) == len(rows)


@pytest.mark.parametrize(
    ("cells", "years"),
    [
        (["2024-02-29", "2023-12-31", "1990-01-01"], [2024, 2023, 1990]),
        (["2023-02-29"], None),  # not a leap year
        (["2023-04-31"], None),
        (["2023-13-01"], None),
        (["2023-1-01"], None),
        (["1989-12-31"], None),
        (["2023/01/01"], None),
        (["2024-03-01", 20240301], None),
    ],
)
def test_fast_dates(cells, years):
    result = spendfile._fast_dates(cells)
    assert (None if result is None else result.tolist()) == years


@pytest.mark.parametrize(
    ("cells", "ore"),
    [
        (["1 234,50", "-5,00", "0,01"], [123450, -500, 1]),
        (["1,5"], None),
        (["1-2,00"], None),
        (["12,345"], None),
        (["1.234,00"], None),
        ([12.5], None),
    ],
)
def test_fast_amounts(cells, ore):
    result = spendfile._fast_amounts(cells)
    assert (None if result is None else result.tolist()) == ore


def test_fast_digits():
    assert spendfile._fast_digits([SUPPLIER, OTHER], 10).tolist() == [int(SUPPLIER), int(OTHER)]
    assert spendfile._fast_digits([SUPPLIER, SUPPLIER[:6] + "-" + SUPPLIER[6:]], 10) is None
