"""Tables as downloads: CSV, XLSX and JSON from one column spec, streamed where the format allows;
and the cell writer behind every spreadsheet Civsam writes.

Text that starts with = + - @, a tab or a carriage return is a formula, or the start of one, to a
spreadsheet program (CSV injection). No such text ever becomes a formula here, whoever wrote it:

- in CSV, the only marker the format has: a leading apostrophe, which spreadsheet programs show as
  text and Civsam's imports take off again (``strip_formula_guard``);
- in XLSX the cell keeps its exact text, stored as a string with Excel's quotePrefix style (the
  apostrophe a user types), so it reads back unchanged and stays text when someone edits it.

XLSX cannot hold control characters other than tab and line breaks; they become U+FFFD, so that
one odd character in a name cannot make a download fail. Every workbook and CSV writer in Civsam
goes through this module; core/tests/test_exports.py finds any that does not.

Two CSV dialects (ADR 0091). ``csv`` is for machines: comma, the stable keys as header, values as
Python writes them (true/false as True/False, a decimal point); scripts and open-data users rely
on it. ``csv-sv`` ("CSV för Excel") is what the download links on pages offer first: semicolon,
UTF-8 with BOM, the Swedish column labels, Ja/Nej, a decimal comma, dates and times as Swedish
Excel reads them, so that a double click opens it right in Swedish Excel.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

EXCEL_CSV = "csv-sv"  # CSV for Swedish Excel: ; separator, BOM, Swedish labels, Ja/Nej, decimal comma
FORMATS = (EXCEL_CSV, "csv", "xlsx", "json")
FORMAT_LABELS = {
    EXCEL_CSV: _("CSV för Excel"),
    "csv": _("CSV (maskinläsbar)"),
    "xlsx": "XLSX",
    "json": "JSON",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an XLSX cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, without importing openpyxl here).
_ILLEGAL_IN_XLSX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    get: Callable[[Any], Any]


def formula_like(value: Any) -> bool:
    """Would a spreadsheet read this cell as a formula (or the start of one)?"""
    return isinstance(value, str) and value[:1] in FORMULA_PREFIXES


def strip_formula_guard(text: str) -> str:
    """The text as it was before csv_cell guarded it: for an import of Civsam's own CSV files."""
    if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists joined with "; ", None empty, formula-like text behind an apostrophe."""
    value = _flat(value)
    return "'" + value if formula_like(value) else value


def excel_value(value: Any) -> Any:
    """One value as Swedish Excel reads it: Ja/Nej, a decimal comma, dates as 2026-12-06 and times
    as 2026-12-06 14:30 in local time; lists joined with "; "; None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(value, (Decimal, float)):
        return format(value, "f" if isinstance(value, Decimal) else "").replace(".", ",")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(str(excel_value(v)) for v in value)
    return str(value) if not isinstance(value, (int, str)) else value


def excel_cell(value: Any) -> Any:
    """One cell of the Excel CSV: excel_value, then the formula guard for text (not for numbers,
    whose minus sign is no formula)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return excel_value(value)
    value = excel_value(value)
    return "'" + value if formula_like(value) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(
    rows: Iterable[Sequence[Any]], *, delimiter: str = ",", bom: bool = True, excel: bool = False
) -> Iterator[str]:
    """CSV text, one line at a time, every cell through csv_cell (excel_cell and a semicolon for
    Swedish Excel); with a BOM so that Excel opens UTF-8 with å, ä, ö intact."""
    cell = excel_cell if excel else csv_cell
    writer = csv.writer(_Echo(), delimiter=";" if excel else delimiter, lineterminator="\r\n")
    if bom:
        yield "\ufeff"
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def new_workbook(*, write_only: bool = False) -> Workbook:
    """An empty openpyxl workbook; fill its sheets with append_row."""
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def xlsx_cell(sheet: Worksheet, value: Any) -> Any:
    """One XLSX cell: formula-like text as a string cell with quotePrefix, its text unchanged;
    anything else as it is (lists joined with "; ")."""
    value = _flat(value) if isinstance(value, (list, tuple)) else value
    if not isinstance(value, str):
        return value
    if _ILLEGAL_IN_XLSX.search(value):
        value = _ILLEGAL_IN_XLSX.sub("\ufffd", value)
    if not formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl took the leading = for a formula
    cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append one row of cells to a sheet (normal or write-only), every value through xlsx_cell."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def csv_stream(columns: list[Column], objects: Iterable[Any], *, excel: bool = False) -> Iterator[str]:
    """The machine CSV (keys as header), or with excel=True the Swedish Excel CSV (labels as header)."""
    rows = ([c.get(obj) for c in columns] for obj in objects)
    header = [str(c.label) for c in columns] if excel else [c.key for c in columns]
    return csv_rows(_with_header(header, rows), excel=excel)


def _with_header(header: list[str], rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    yield header
    yield from rows


def json_stream(columns: list[Column], objects: Iterable[Any]) -> Iterator[str]:
    yield "["
    first = True
    for obj in objects:
        item = {c.key: c.get(obj) for c in columns}
        yield ("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False, default=str)
        first = False
    yield "\n]\n"


def xlsx_bytes(columns: list[Column], objects: Iterable[Any], sheet_title: str = "Data") -> bytes:
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    append_row(sheet, [c.key for c in columns])
    for obj in objects:
        append_row(sheet, [_flat(c.get(obj)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tabular_response(fmt: str, columns: list[Column], objects: Iterable[Any], filename: str) -> HttpResponse:
    extension = fmt
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(columns, objects), content_type="text/csv; charset=utf-8")
    elif fmt == EXCEL_CSV:
        stream = csv_stream(columns, objects, excel=True)
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        filename, extension = f"{filename}-excel", "csv"
    elif fmt == "json":
        response = StreamingHttpResponse(json_stream(columns, objects), content_type="application/json; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(columns, objects, sheet_title=filename), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"unknown format {fmt}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
