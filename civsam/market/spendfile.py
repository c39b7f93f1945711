"""Reading a spend file as a stream and summing it per year and supplier. Pure Python, no database.

A spend file has one row per invoice line: the buyer, the supplier's organisationsnummer, the
amount and the date (CSV in any common encoding and delimiter, or XLSX). It is read row by row and
only the sums per (year, supplier) are kept, so memory depends on the number of suppliers and
years, never on the number of rows (ADR 0136). Amounts are summed in öre as integers: exact, and
several times faster than Decimal. Every row that cannot be read gets an error in Swedish with its
line number; the caller writes nothing if there is any.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from django.utils.translation import gettext as _

from civsam.registry import orgnr as orgnr_rules

MAX_ERRORS_LISTED = 100
FIRST_YEAR, LAST_YEAR = 1990, 2100

# Column headings as buyers' finance systems write them, compared case-folded without spaces or punctuation.
HEADINGS: dict[str, tuple[str, ...]] = {
    "buyer": ("köpare", "buyer", "myndighet", "organisation", "köparensorganisationsnummer", "köparorgnr"),
    "supplier": (
        "leverantörorgnr",
        "leverantörsorgnr",
        "leverantörensorganisationsnummer",
        "leverantör",
        "supplierorgnr",
        "supplier",
        "orgnr",
        "organisationsnummer",
    ),
    "amount": ("belopp", "amount", "beloppkr", "beloppsek", "summa"),
    "date": ("datum", "date", "fakturadatum", "bokföringsdatum", "invoicedate"),
}
_HEADING_CHARS = re.compile(r"[^0-9a-zåäöéü]")
_AMOUNT = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]{1,2}))?")


class SpendFileError(Exception):
    """The file as a whole cannot be read; the message is in Swedish."""


@dataclass
class SpendSums:
    """Öre and invoice rows per (year, supplier orgnr), and what went wrong."""

    sums: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(_("Rad %(line)s: %(message)s") % {"line": line, "message": message})

    @property
    def years(self) -> list[int]:
        return sorted({year for year, _supplier in self.sums})


def heading_key(text: Any) -> str:
    return _HEADING_CHARS.sub("", str(text or "").casefold())


def column_positions(header: list[Any]) -> dict[str, int]:
    """Where each of the four columns is; SpendFileError naming the missing ones."""
    keys = [heading_key(cell) for cell in header]
    positions: dict[str, int] = {}
    for name, accepted in HEADINGS.items():
        for accepted_key in accepted:
            if accepted_key in keys:
                positions[name] = keys.index(accepted_key)
                break
    missing = [name for name in HEADINGS if name not in positions]
    if missing:
        labels = {"buyer": _("köpare"), "supplier": _("leverantörens orgnr"), "amount": _("belopp"), "date": _("datum")}
        raise SpendFileError(
            _("Filen saknar kolumnen eller kolumnerna: %(names)s. Första raden ska ha rubrikerna köpare, "
              "leverantörens orgnr, belopp och datum.")
            % {"names": ", ".join(str(labels[name]) for name in missing)}
        )
    return positions


def parse_amount(value: Any) -> int:
    """Öre from "1 234,50", "1234.5", "-300" or a number cell; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        return round(value * 100)
    text = str(value).replace(" ", "").replace("\xa0", "")
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise ValueError(value)
    sign, whole, fraction = match.groups()
    ore = int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
    return -ore if sign else ore


def parse_year(value: Any) -> int:
    """The year of a date "2025-03-31" (or "20250331", or a date cell); ValueError otherwise."""
    if isinstance(value, datetime.datetime | datetime.date):
        year = value.year
    else:
        year = datetime.date.fromisoformat(str(value).strip()).year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(value)
    return year


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())


PERSON = ""  # the supplier key of a sole trader, whose number is a personnummer Civsam does not keep
_DIGITS_ONLY = re.compile(r"[-+ ]")


@lru_cache(maxsize=100_000)
def _orgnr(text: str) -> str:
    digits = _DIGITS_ONLY.sub("", text)
    if digits.isdigit() and (
        (len(digits) == 12 and digits[:2] in ("19", "20")) or (len(digits) == 10 and int(digits[2:4]) < 20)
    ):
        return PERSON  # a sole trader: counted in the total, never matched, never stored
    return orgnr_rules.normalise(text)


def parse_orgnr(value: Any) -> str:
    return _orgnr(str(value if value is not None else "").strip())


def sum_rows(
    rows: Iterable[tuple[int, list[Any]]],
    *,
    buyer_names: Iterable[str],
    keep: Callable[[str, int, datetime.date], None] | None = None,
) -> SpendSums:
    """Sum the rows after the header. `buyer_names` are the values the buyer column may hold
    (compared case-folded, orgnr without hyphen); `keep`, if given, receives each good row."""
    accepted = {heading_key(name) for name in buyer_names if name}
    result = SpendSums()
    iterator = iter(rows)
    try:
        _line, header = next(iterator)
    except StopIteration:
        raise SpendFileError(_("Filen är tom.")) from None
    at = column_positions(header)
    buyer_at, supplier_at, amount_at, date_at = at["buyer"], at["supplier"], at["amount"], at["date"]
    width = max(at.values()) + 1
    sums = result.sums
    buyer_ok: dict[Any, bool] = {}
    rows_read = 0
    for line, row in iterator:
        if len(row) < width:
            if not any(cell not in (None, "") for cell in row):
                continue  # an empty line
            result.error(line, _("raden har för få kolumner."))
            continue
        buyer = row[buyer_at]
        known = buyer_ok.get(buyer)
        if known is None:
            known = buyer_ok[buyer] = heading_key(buyer) in accepted
        if not known:
            if not any(cell not in (None, "") for cell in row):
                continue  # an empty line
            result.error(line, _("köparen ”%(buyer)s” är inte den köpare filen laddas upp för.") % {"buyer": buyer})
            continue
        try:
            supplier = parse_orgnr(row[supplier_at])
        except orgnr_rules.OrgnrError as exc:
            result.error(line, _("leverantörens organisationsnummer: %(error)s") % {"error": exc})
            continue
        try:
            ore = parse_amount(row[amount_at])
        except ValueError:
            result.error(line, _("beloppet ”%(value)s” är inte ett belopp i kronor.") % {"value": row[amount_at]})
            continue
        try:
            year = parse_year(row[date_at])
        except ValueError:
            result.error(
                line, _("datumet ”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": row[date_at]}
            )
            continue
        rows_read += 1
        entry = sums.get((year, supplier))
        if entry is None:
            sums[(year, supplier)] = [ore, 1]
        else:
            entry[0] += ore
            entry[1] += 1
        if keep is not None:
            keep(supplier, ore, parse_date(row[date_at]))
    result.rows = rows_read
    if rows_read == 0 and result.error_count == 0:
        raise SpendFileError(_("Filen har inga fakturarader under rubrikraden."))
    return result


# --- Reading the file as a stream ---------------------------------------------------------------


def _encoding(head: bytes) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip) from the first bytes of a text file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252", 0
    return "utf-8", 0


def read_rows(file: IO[bytes], file_name: str) -> Iterator[tuple[int, list[Any]]]:
    """Rows of a CSV or XLSX file with their line numbers (header = 1), read as a stream."""
    extension = file_name.rsplit(".", 1)[-1].casefold() if "." in file_name else ""
    head = file.read(65536)
    file.seek(0)
    if not head:
        raise SpendFileError(_("Filen är tom."))
    is_zip = head[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise SpendFileError(_("Filen har ändelsen .xlsx men är inte en Excel-fil. Spara den på nytt i Excel."))
        return _xlsx_rows(file)
    if extension in ("csv", "txt"):
        if is_zip or _binary(head):
            raise SpendFileError(_("Filen innehåller binärdata och är inte en textfil (CSV)."))
        return _csv_rows(file, head)
    raise SpendFileError(_("Filen måste vara en CSV-fil (.csv) eller en Excel-fil (.xlsx)."))


_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return _BINARY.search(head) is not None


def _csv_rows(file: IO[bytes], head: bytes) -> Iterator[tuple[int, list[Any]]]:
    encoding, skip = _encoding(head)
    file.seek(skip)
    text = io.TextIOWrapper(file, encoding=encoding, errors="strict", newline="")  # type: ignore[type-var]
    try:
        first = text.readline()
        delimiter = max((";", ",", "\t"), key=lambda d: (first.count(d), d == ";"))
        yield 1, next(csv.reader([first], delimiter=delimiter))
        for line, row in enumerate(csv.reader(text, delimiter=delimiter), start=2):
            yield line, row
    except UnicodeDecodeError as exc:
        raise SpendFileError(
            _("Filens teckenkodning känns inte igen. Spara filen som CSV (UTF-8) och försök igen.")
        ) from exc
    except csv.Error as exc:
        raise SpendFileError(_("Filen går inte att läsa som CSV: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()


def _xlsx_rows(file: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpendFileError(_("Excel-filen går inte att läsa. Spara den på nytt i Excel och försök igen.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, ["" if value is None else value for value in values]
    finally:
        workbook.close()
