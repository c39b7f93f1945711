"""Reading tables in (core/tabular.py): encodings, delimiters, line numbers and blocks. No database.

The register's import tests read files through here too (registry/tests/test_import_parser.py),
with the Swedish file-level errors."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.core.tabular import ImportFileError, decode_text, read_blocks, read_table, sniff_delimiter

MAX = 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("line", "expected"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("a;b,c", ";"), ("abc", ","), ("a,b;c,d", ",")],
)
def test_sniff_delimiter(line, expected):
    assert sniff_delimiter(line) == expected


def test_decode_falls_back_to_cp1252():
    assert decode_text("Ödeshög".encode("cp1252")) == "Ödeshög"
    assert decode_text(b"\xef\xbb\xbf" + "Ödeshög".encode()) == "Ödeshög"


def test_read_table_yields_line_numbers():
    rows, warnings = read_table("a.csv", b"a;b\r\n1;2\r\n\r\n3;4\r\n", max_bytes=MAX)
    assert list(rows) == [(1, ["a", "b"]), (2, ["1", "2"]), (3, []), (4, ["3", "4"])]
    assert warnings == []


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet='ab ö,;\t\r\n"', max_size=300),
    name=st.sampled_from(["fil.csv", "fil.txt"]),
    size=st.sampled_from([1, 2, 5]),
)
def test_csv_rows_agree_with_csv_reader(text, name, size):
    # Lines without quotes are split with str.split, the rest by csv.reader; in blocks for parse().
    data = ("h" + text).encode()
    delimiter = sniff_delimiter(data.decode().split("\n")[0])
    expected, failure = [], None
    try:
        expected.extend(
            enumerate(csv.reader(io.StringIO(data.decode(), newline=""), delimiter=delimiter, strict=False), 1)
        )
    except csv.Error:
        failure = len(expected) + 1
    rows, _warnings = read_table(name, data, max_bytes=MAX)
    got = []
    with pytest.raises(ImportFileError) if failure else contextlib.nullcontext() as raised:
        got.extend(rows)
    assert got == expected
    if failure:
        assert f"rad {failure}." in str(raised.value)
    blocks, _warnings = read_blocks(name, data, max_bytes=MAX, size=size)
    flat = []
    with pytest.raises(ImportFileError) if failure else contextlib.nullcontext():
        for lines, cells_list in blocks:
            assert len(cells_list) <= (1 if not flat else size)
            flat.extend(zip(lines, cells_list, strict=True))
    assert flat == expected[: len(flat)]
    if not failure:
        assert len(flat) == len(expected)
