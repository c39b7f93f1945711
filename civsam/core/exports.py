"""Tables as downloads: CSV, XLSX and JSON from one column spec, streamed where the format allows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    get: Callable[[Any], Any]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


def _safe_text(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection) in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_stream(columns: list[Column], objects: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=",", lineterminator="\r\n")
    yield "\ufeff"  # BOM so that Excel opens UTF-8 with å, ä, ö intact
    yield writer.writerow([c.key for c in columns])
    for obj in objects:
        yield writer.writerow([_safe_text(_cell(c.get(obj))) for c in columns])


def json_stream(columns: list[Column], objects: Iterable[Any]) -> Iterator[str]:
    yield "["
    first = True
    for obj in objects:
        item = {c.key: c.get(obj) for c in columns}
        yield ("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False, default=str)
        first = False
    yield "\n]\n"


def xlsx_bytes(columns: list[Column], objects: Iterable[Any], sheet_title: str = "Data") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([c.key for c in columns])
    for obj in objects:
        sheet.append([_safe_text(_cell(c.get(obj))) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tabular_response(fmt: str, columns: list[Column], objects: Iterable[Any], filename: str) -> HttpResponse:
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(columns, objects), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = StreamingHttpResponse(json_stream(columns, objects), content_type="application/json; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(columns, objects, sheet_title=filename),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise ValueError(f"unknown format {fmt}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
