"""Tables in: reading an uploaded file into rows of text cells, CSV (any common encoding and
delimiter) or XLSX. Its pair, core/exports.py, writes tables out.

Pure Python, no database. Everything that makes a file unreadable raises ImportFileError with a
message in Swedish; nothing else escapes, whatever the bytes. The apps' imports (the register,
the plan) read files through here and check the cells themselves.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _

XLSX_MAX_UNCOMPRESSED_FACTOR = 10  # of the size limit for uploads
XLSX_MAX_RATIO = 100  # compression ratio of one member; spreadsheets stay far below


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is in Swedish and can be shown as it is."""


def read_table(file_name: str, data: bytes, *, max_bytes: int) -> tuple[Iterator[tuple[int, list[str]]], list[str]]:
    """Rows of text cells with their line numbers (header = 1), and warnings about the file.

    Raises ImportFileError for anything that is not a readable CSV or XLSX file.
    """
    if len(data) > max_bytes:
        raise ImportFileError(
            _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(max)s MB.")
            % {"size": _megabytes(len(data)), "max": _megabytes(max_bytes)}
        )
    if not data:
        raise ImportFileError(_("Filen är tom."))
    extension = file_name.rsplit(".", 1)[-1].casefold() if "." in file_name else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise ImportFileError(_("Filen har ändelsen .xlsx men är inte en Excel-fil. Spara den på nytt i Excel."))
        return _read_xlsx(data, max_bytes=max_bytes)
    if extension in ("csv", "txt"):
        if is_zip:
            raise ImportFileError(
                _("Filen ser ut att vara en Excel-fil men har ändelsen .%(ext)s. Byt ändelse till .xlsx.")
                % {"ext": extension}
            )
        return _read_csv(data), []
    if extension in ("xls", "ods", "numbers"):
        raise ImportFileError(
            _("Filformatet .%(ext)s stöds inte. Spara filen som Excel-arbetsbok (.xlsx) eller CSV.")
            % {"ext": extension}
        )
    raise ImportFileError(_("Filen måste vara en CSV-fil (.csv) eller en Excel-fil (.xlsx)."))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (Swedish Excel's "CSV")."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("Filen är märkt som UTF-8 men innehåller tecken som inte är UTF-8.")) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("Filen är märkt som UTF-16 men går inte att läsa som text.")) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Filens teckenkodning känns inte igen. Spara filen som CSV (UTF-8) och försök igen.")
        ) from exc


_EXCEL_SEPARATOR_HINT = re.compile(r"sep=([,;\t|])", re.IGNORECASE)
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of ; , and tab in the header line; ties go to ; (Swedish Excel), then comma."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts.values())
    if best == 0:
        return ","
    return next(d for d in (";", ",", "\t") if counts[d] == best)


_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and _BINARY_BYTES.search(data, 0, 1_000_000):
        raise ImportFileError(_("Filen innehåller binärdata och är inte en textfil (CSV)."))
    text = decode_text(data)
    if _BINARY_CHARS.search(text, 0, 1_000_000) or "\x00" in text:
        raise ImportFileError(_("Filen innehåller binärdata och är inte en textfil (CSV)."))
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    hint = _EXCEL_SEPARATOR_HINT.fullmatch(first_line.rstrip("\r"))
    if hint:
        # Excel's "sep=;" line: it names the delimiter and Excel does not show it as a row.
        delimiter = hint.group(1)
        text = "" if end < 0 else text[end + 1 :]
    else:
        delimiter = sniff_delimiter(first_line)
    plain, rest = _plain_lines(text)
    return _CsvRows(plain, rest, delimiter)


class _CsvRows:
    """The rows of a CSV text, one by one (an iterator, as read_table gives) or in blocks."""

    def __init__(self, plain: list[str], rest: str, delimiter: str):
        self.plain, self.rest, self.delimiter = plain, rest, delimiter
        self.rows = self._rows()

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self.rows

    def __next__(self) -> tuple[int, list[str]]:
        return next(self.rows)

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        delimiter = self.delimiter
        for line, row in enumerate(self.plain, start=1):
            yield line, row.split(delimiter) if row else []
        yield from self._quoted(len(self.plain))

    def _quoted(self, offset: int) -> Iterator[tuple[int, list[str]]]:
        """The rows from the first line with a quote on, numbered after offset, read by csv.reader."""
        if not self.rest:
            return
        reader = csv.reader(io.StringIO(self.rest, newline=""), delimiter=self.delimiter, strict=False)
        line = offset
        try:
            for line, cells in enumerate(reader, start=offset + 1):
                yield line, cells
        except csv.Error as exc:
            raise ImportFileError(
                _("Filen kunde inte läsas som CSV vid rad %(line)s. Kontrollera citattecknen i filen.")
                % {"line": line + 1}
            ) from exc

    def blocks(self, size: int) -> Iterator[tuple[range | list[int], list[list[str]]]]:
        delimiter, plain = self.delimiter, self.plain
        start = 0
        while start < len(plain):
            end = min(len(plain), start + size if start else 1)
            yield range(start + 1, end + 1), [row.split(delimiter) if row else [] for row in plain[start:end]]
            start = end
        yield from _grouped(self._quoted(len(plain)), size, header_alone=not plain)


def read_blocks(
    file_name: str, data: bytes, *, max_bytes: int, size: int
) -> tuple[Iterator[tuple[range | list[int], list[list[str]]]], list[str]]:
    """As read_table, in blocks of up to size rows, (their line numbers, their cells), for bulk work.

    The header (line 1) comes alone, so that it is checked before anything else is read. When a
    file turns out unreadable part-way, the ImportFileError comes instead of the whole block.
    """
    rows, warnings = read_table(file_name, data, max_bytes=max_bytes)
    if isinstance(rows, _CsvRows):
        return rows.blocks(size), warnings
    return _grouped(rows, size, header_alone=True), warnings


def _grouped(
    rows: Iterator[tuple[int, list[str]]], size: int, *, header_alone: bool
) -> Iterator[tuple[list[int], list[list[str]]]]:
    count = 1 if header_alone else size
    while block := list(islice(rows, count)):
        yield [line for line, _cells in block], [cells for _line, cells in block]
        count = size


def _plain_lines(text: str) -> tuple[list[str], str]:
    """The lines before the first quote character, and the text from that line on.

    Without quotes, csv.reader (default dialect, any delimiter) only splits lines at \\r\\n, \\r or
    \\n and cells at the delimiter: str.split does the same, several times faster. The rest, if
    any, is read by csv.reader; a quoted cell cannot start before the line of the first quote.
    """
    quote = text.find('"')
    if quote < 0:
        head, rest = text, ""
    else:
        start = max(text.rfind("\n", 0, quote), text.rfind("\r", 0, quote)) + 1
        head, rest = text[:start], text[start:]
    if "\r" not in head:
        lines = head.split("\n")
    elif head.count("\r") == head.count("\n") == head.count("\r\n"):
        lines = head.split("\r\n")  # only CRLF, as Excel and the export write
    else:
        lines = head.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the head is empty or ends with a line break
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return [], text  # let csv.reader refuse the overlong cell as it always has
    return lines, rest


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, *, max_bytes: int) -> tuple[Iterator[tuple[int, list[str]]], list[str]]:
    not_excel = _("Filen är inte en giltig Excel-fil (.xlsx). Spara den på nytt i Excel eller som CSV.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(not_excel) from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(not_excel)
    # A small file that unpacks to gigabytes (a zip bomb) is refused before anything is unpacked.
    total = sum(m.file_size for m in members)
    too_packed = any(
        m.file_size > 1_000_000 and m.file_size > XLSX_MAX_RATIO * max(m.compress_size, 1) for m in members
    )
    if total > XLSX_MAX_UNCOMPRESSED_FACTOR * max_bytes or too_packed or len(members) > 10_000:
        raise ImportFileError(_("Excel-filen är packad på ett sätt som inte går att läsa säkert. Spara den som CSV."))
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = workbook.worksheets
        if not sheets:
            raise ImportFileError(_("Excel-filen innehåller inga blad."))
        sheet = sheets[0]
        sheet.reset_dimensions()  # trust the cells, not the dimension some writers get wrong
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ImportFileError(not_excel) from exc
    warnings = []
    if len(sheets) > 1:
        warnings.append(
            _("Filen har %(count)s blad; bara det första (”%(title)s”) lästes.")
            % {"count": len(sheets), "title": sheet.title}
        )

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                yield line, [_xlsx_text(v) for v in values]
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(
                _("Excel-filen kunde inte läsas vid rad %(line)s. Spara den på nytt i Excel eller som CSV.")
                % {"line": line + 1}
            ) from exc
        finally:
            workbook.close()

    return rows(), warnings
