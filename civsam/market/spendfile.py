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
import gc
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from typing import IO, Any

import numpy as np
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
            _(
                "Filen saknar kolumnen eller kolumnerna: %(names)s. Första raden ska ha rubrikerna köpare, "
                "leverantörens orgnr, belopp och datum."
            )
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


CHUNK_ROWS = 20_000
_FAST_BYTES = np.zeros(256, dtype=bool)
_FAST_BYTES[list(b"0123456789 ,-\n")] = True
_FAST_LIMIT = 2**40  # öre per row: far above any invoice, and exact as float64 in the chunk sums


def _fast_amounts(amounts: list[Any]) -> Any:
    """Öre of a chunk's amounts if every one is written "12 345,67" (digits, spaces as thousands
    separators, a comma and two decimals, perhaps a minus), checked over the chunk's bytes at once;
    None otherwise (the chunk then goes row by row)."""
    try:
        data = "\n".join(amounts).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return None  # numbers from a spreadsheet, or other characters
    codes = np.frombuffer(data, dtype=np.uint8)
    if not codes.size or not _FAST_BYTES[codes].all():
        return None
    ends = np.append(np.flatnonzero(codes == 10), codes.size)
    if (ends - np.append(0, ends[:-1] + 1) < 4).any():
        return None  # an item shorter than "0,00"
    if not (codes[ends - 3] == 44).all() or int((codes == 44).sum()) != len(amounts):
        return None  # one comma each, before the last two digits
    try:
        ore = np.array(data.replace(b" ", b"").replace(b",", b"").split(b"\n"), dtype=np.int64)
    except (ValueError, OverflowError):
        return None  # a minus inside a number, or digits beyond int64
    if int(np.abs(ore).max()) >= _FAST_LIMIT:
        return None
    return ore


_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True
_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _fixed_width(cells: list[Any], width: int) -> Any:
    """The cells' bytes as an (n, width) uint8 array if every cell is an ASCII string of exactly
    `width` characters; None otherwise."""
    try:
        data = "".join(cells).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return None
    if len(data) != width * len(cells):
        return None
    return np.frombuffer(data, dtype=np.uint8).reshape(len(cells), width)


def _fast_digits(cells: list[Any], width: int) -> Any:
    """The cells as int64 if each is exactly `width` digits (a supplier's orgnr written plainly)."""
    codes = _fixed_width(cells, width)
    if codes is None or not _DIGIT[codes].all():
        return None
    values = np.zeros(len(cells), dtype=np.int64)
    for position in range(width):
        values = values * 10 + (codes[:, position].astype(np.int64) - 48)
    return values


def _fast_dates(cells: list[Any]) -> Any:
    """The years of dates written "YYYY-MM-DD", each checked as a real calendar date between
    FIRST_YEAR and LAST_YEAR; None if any cell is written otherwise (or is not a date)."""
    codes = _fixed_width(cells, 10)
    if codes is None or not (codes[:, 4] == 45).all() or not (codes[:, 7] == 45).all():
        return None
    digits = codes[:, [0, 1, 2, 3, 5, 6, 8, 9]]
    if not _DIGIT[digits].all():
        return None
    value = digits.astype(np.int64) - 48
    year = value[:, 0] * 1000 + value[:, 1] * 100 + value[:, 2] * 10 + value[:, 3]
    month = value[:, 4] * 10 + value[:, 5]
    day = value[:, 6] * 10 + value[:, 7]
    if ((year < FIRST_YEAR) | (year > LAST_YEAR) | (month < 1) | (month > 12) | (day < 1)).any():
        return None
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    longest = _DAYS_IN_MONTH[month] - ((month == 2) & ~leap)
    if (day > longest).any():
        return None
    return year


class _Sums:
    """Öre and row counts in two int64 matrices, suppliers × years, grown as new ones appear:
    memory follows the number of suppliers and years, never the number of rows."""

    def __init__(self) -> None:
        self.supplier_index: dict[str, int] = {}
        self.year_index: dict[int, int] = {}
        self.ore = np.zeros((256, 16), dtype=np.int64)
        self.count = np.zeros((256, 16), dtype=np.int64)

    def supplier(self, orgnr: str) -> int:
        index = self.supplier_index.get(orgnr)
        if index is None:
            index = self.supplier_index[orgnr] = len(self.supplier_index)
            if index >= self.ore.shape[0]:
                self._grow(rows=self.ore.shape[0] * 2)
        return index

    def year(self, year: int) -> int:
        index = self.year_index.get(year)
        if index is None:
            index = self.year_index[year] = len(self.year_index)
            if index >= self.ore.shape[1]:
                self._grow(columns=self.ore.shape[1] * 2)
        return index

    def _grow(self, *, rows: int | None = None, columns: int | None = None) -> None:
        shape = (rows or self.ore.shape[0], columns or self.ore.shape[1])
        for name in ("ore", "count"):
            old = getattr(self, name)
            new = np.zeros(shape, dtype=np.int64)
            new[: old.shape[0], : old.shape[1]] = old
            setattr(self, name, new)

    def as_dict(self) -> dict[tuple[int, str], list[int]]:
        suppliers = list(self.supplier_index)
        years = list(self.year_index)
        result: dict[tuple[int, str], list[int]] = {}
        rows, columns = np.nonzero(self.count[: len(suppliers), : len(years)])
        ore = self.ore[rows, columns].tolist()
        count = self.count[rows, columns].tolist()
        for row, column, amount, invoices in zip(rows.tolist(), columns.tolist(), ore, count, strict=True):
            result[(years[column], suppliers[row])] = [amount, invoices]
        return result


def sum_rows(
    rows: Iterable[list[Any]],
    *,
    buyer_names: Iterable[str],
    keep: Callable[[str, int, datetime.date], None] | None = None,
) -> SpendSums:
    """Sum the rows after the header. `buyer_names` are the values the buyer column may hold
    (compared case-folded, orgnr without hyphen); `keep`, if given, receives each good row.

    The rows are taken in chunks. A chunk whose buyers, suppliers and dates have all been seen
    before and whose amounts are all written "12 345,67" is summed column-wise in C (a cache lookup
    per cell through map(), the amounts parsed and added with numpy); any other chunk, and every
    chunk when rows are kept, goes row by row, parsing each new value once and naming each bad row.
    This is the hot path of the share of spend (docs/performance.md)."""
    accepted = {heading_key(name) for name in buyer_names if name}
    result = SpendSums()
    iterator = iter(rows)
    try:
        header = next(iterator)
    except StopIteration:
        raise SpendFileError(_("Filen är tom.")) from None
    except UnicodeDecodeError as exc:
        raise SpendFileError(
            _("Filens teckenkodning känns inte igen. Spara filen som CSV (UTF-8) och försök igen.")
        ) from exc
    at = column_positions(header)
    buyer_at, supplier_at, amount_at, date_at = at["buyer"], at["supplier"], at["amount"], at["date"]
    width = max(at.values()) + 1
    columns = [itemgetter(buyer_at), itemgetter(supplier_at), itemgetter(amount_at), itemgetter(date_at)]
    sums = _Sums()
    good_buyers: set[Any] = set()  # raw buyer cells already accepted
    supplier_of: dict[Any, int] = {}  # raw supplier cell → row of the matrices
    year_of: dict[Any, int] = {}  # raw date cell → column of the matrices
    state = {"rows": 0}

    def row_by_row(chunk: list[list[Any]], first_line: int) -> None:
        for line, row in enumerate(chunk, start=first_line):
            if len(row) < width:
                if any(cell not in (None, "") for cell in row):
                    result.error(line, _("raden har för få kolumner."))
                continue
            buyer = row[buyer_at]
            if buyer not in good_buyers:
                if heading_key(buyer) in accepted:
                    good_buyers.add(buyer)
                elif not any(cell not in (None, "") for cell in row):
                    continue  # an empty line
                else:
                    result.error(
                        line, _("köparen ”%(buyer)s” är inte den köpare filen laddas upp för.") % {"buyer": buyer}
                    )
                    continue
            cell = row[supplier_at]
            supplier = supplier_of.get(cell)
            if supplier is None:
                try:
                    supplier = supplier_of[cell] = sums.supplier(parse_orgnr(cell))
                except orgnr_rules.OrgnrError as exc:
                    result.error(line, _("leverantörens organisationsnummer: %(error)s") % {"error": exc})
                    continue
            try:
                ore = parse_amount(row[amount_at])
            except ValueError:
                result.error(line, _("beloppet ”%(value)s” är inte ett belopp i kronor.") % {"value": row[amount_at]})
                continue
            cell = row[date_at]
            year = year_of.get(cell)
            if year is None:
                try:
                    year = year_of[cell] = sums.year(parse_year(cell))
                except (ValueError, TypeError):
                    result.error(line, _("datumet ”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": cell})
                    continue
            state["rows"] += 1
            sums.ore[supplier, year] += ore
            sums.count[supplier, year] += 1
            if keep is not None:
                keep(_orgnr_of(sums, supplier), ore, parse_date(cell))

    number_rows: dict[str, int] = {}  # ten-digit supplier number → row of the matrices

    def supplier_row(number: str) -> int:
        row = number_rows.get(number)
        if row is None:
            row = number_rows[number] = sums.supplier(parse_orgnr(number))
        return row

    def column_wise(cells: list[list[Any]]) -> bool:
        """Sum the chunk in C if it qualifies; False (nothing summed) if it does not."""
        if keep is not None or result.error_count:
            return False  # rows to keep, or a file that will not be stored: row by row
        if min(map(len, cells)) < width:
            return False
        buyers, suppliers, amounts, dates = (list(map(column, cells)) for column in columns)
        # The buyer: usually one value on every row, compared without hashing.
        first = buyers[0]
        if buyers.count(first) != len(buyers):
            return False
        if first not in good_buyers:
            if heading_key(first) not in accepted:
                return False
            good_buyers.add(first)
        # Suppliers as ten-digit numbers and dates as "YYYY-MM-DD", checked and converted as bytes;
        # each distinct supplier is parsed (check digit) once. Anything else: row by row.
        numbers = _fast_digits(suppliers, 10)
        days = _fast_dates(dates)
        if numbers is None or days is None:
            return False
        distinct, inverse = np.unique(numbers, return_inverse=True)
        try:
            rows = np.array([supplier_row(f"{int(number):010d}") for number in distinct.tolist()], dtype=np.int64)[
                inverse
            ]
            years, year_inverse = np.unique(days, return_inverse=True)
            year_columns = np.array([sums.year(int(year)) for year in years.tolist()], dtype=np.int64)[year_inverse]
        except (orgnr_rules.OrgnrError, ValueError):
            return False
        ore = _fast_amounts(amounts)
        if ore is None:
            return False
        np.add.at(sums.ore, (rows, year_columns), ore)
        np.add.at(sums.count, (rows, year_columns), 1)
        state["rows"] += len(cells)
        return True

    line = 2  # the header is line 1
    # A chunk is 20,000 row lists alive at once: the cyclic garbage collector would scan them again
    # and again as they are made (they hold no cycles). Off while reading; as it was afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            chunk = list(islice(iterator, CHUNK_ROWS))
            if not chunk:
                break
            if not column_wise(chunk):
                row_by_row(chunk, line)
            line += len(chunk)
    except UnicodeDecodeError as exc:
        raise SpendFileError(
            _("Filens teckenkodning känns inte igen. Spara filen som CSV (UTF-8) och försök igen.")
        ) from exc
    except csv.Error as exc:
        raise SpendFileError(_("Filen går inte att läsa som CSV: %(error)s") % {"error": exc}) from exc
    finally:
        if collecting:
            gc.enable()
    result.rows = state["rows"]
    result.sums = sums.as_dict()
    if result.rows == 0 and result.error_count == 0:
        raise SpendFileError(_("Filen har inga fakturarader under rubrikraden."))
    return result


def _orgnr_of(sums: _Sums, index: int) -> str:
    """The orgnr at a row of the matrices (only for kept rows, which are few enough to look up)."""
    if not hasattr(sums, "_names") or len(sums._names) != len(sums.supplier_index):
        sums._names = list(sums.supplier_index)  # type: ignore[attr-defined]
    names: list[str] = sums._names  # type: ignore[attr-defined]
    return names[index]


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


def read_rows(file: IO[bytes], file_name: str) -> Iterator[list[Any]]:
    """The rows of a CSV or XLSX file, the header first, read as a stream (csv.reader itself for a
    CSV file: no Python code runs per row here)."""
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


def _csv_rows(file: IO[bytes], head: bytes) -> Iterator[list[Any]]:
    encoding, skip = _encoding(head)
    file.seek(skip)
    text = io.TextIOWrapper(file, encoding=encoding, errors="strict", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError as exc:
        raise SpendFileError(
            _("Filens teckenkodning känns inte igen. Spara filen som CSV (UTF-8) och försök igen.")
        ) from exc
    delimiter = max((";", ",", "\t"), key=lambda d: (first.count(d), d == ";"))
    return chain(csv.reader([first], delimiter=delimiter), csv.reader(text, delimiter=delimiter))


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpendFileError(_("Excel-filen går inte att läsa. Spara den på nytt i Excel och försök igen.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield ["" if value is None else value for value in values]
    finally:
        workbook.close()
