"""A CSV export of the follow-up can be imported again: the apostrophe the export puts before
text that starts like a formula (civsam.core.exports, ADR 0083) comes off on import."""

from __future__ import annotations

import pytest

from civsam.core.exports import Column, csv_rows
from civsam.plan.imports import _rows

COLUMNS = [Column("ref", "Referens", str), Column("title", "Titel", str)]
TEXTS = ['=HYPERLINK("http://example.com")', "+46 19 12 34 56", "-10 % återfall", "@SUM(A1:A3)", "Läxhjälp"]


@pytest.mark.parametrize("text", TEXTS)
def test_an_exported_text_reads_back_as_it_was(text):
    data = "".join(csv_rows([["ref", "title"], ["L1", text]])).encode("utf-8")
    assert ("'" + text[:1] in data.decode("utf-8")) is (text[:1] in "=+-@")  # the export guards it
    [(_line, row)] = list(_rows("insatser.csv", data, COLUMNS, {"ref", "title"}))
    assert row == {"ref": "L1", "title": text}
