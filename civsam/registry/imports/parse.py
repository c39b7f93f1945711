"""Parsing an organisation import file (CSV or XLSX) into validated rows and per-row errors.
Pure Python, no database: the caller passes the reference data (fields.Lookups).

Column layout: the export layout (layout.py). Headers are matched case-insensitively, with or
without å/ä/ö, by key ("kommunkod") or by label ("Kommunkod"). A column that is missing from the
file leaves that field untouched; an empty cell in a present column clears the field (empty
text, no number, no codes, "nej"), except for the required ones (name, legal form,
municipality), where it is an error.

Rows are checked a chunk at a time, column by column (see parse()); reference.py does the same
row by row, and a test holds the two equal.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civsam.core.tabular import ImportFileError, read_blocks

from .. import orgnr as orgnr_mod
from .cells import shorten
from .columns import FieldColumn, OrgnrColumn
from .fields import MANY_PARSERS, Lookups, field_parsers
from .layout import FIELDS, HEADER_INDEX, PAIR_FIELDS, fold_key

MAX_STORED_ERRORS = 50_000


@dataclass(frozen=True)
class RowError:
    line: int  # as a spreadsheet shows it: the header is line 1; 0 for the file as a whole
    column: str  # the header as written in the file
    message: str


@dataclass(slots=True)
class ParsedRow:
    line: int
    orgnr: str
    values: tuple  # aligned with ParsedFile.fields


@dataclass
class ParsedFile:
    fields: tuple[str, ...]  # the model fields present in the file, a subset of FIELDS in that order
    column_labels: dict[str, str]  # field (and "orgnr") -> the header shown in messages
    rows: list[ParsedRow]  # rows without errors
    errors: list[RowError]
    warnings: list[str]
    data_rows: int  # non-empty rows after the header
    invalid_lines: set[int]
    errors_dropped: int = 0


# Parsing a whole file ----------------------------------------------------------------------------


def map_headers(header: list[str]) -> tuple[dict[str, list[tuple[int, str]]], list[str]]:
    """Field -> [(cell index, header text)] and warnings for unknown columns."""
    by_field: dict[str, list[tuple[int, str]]] = {}
    unknown = []
    for index, text in enumerate(header):
        text = str(text).strip().lstrip("\ufeff").strip()
        if not text:
            continue
        column = HEADER_INDEX.get(fold_key(text))
        if column is None:
            unknown.append(text)
            continue
        slots = by_field.setdefault(column.field, [])
        # The legal form and the municipality may come twice (code and name); everything else once.
        if len(slots) >= (2 if column.field in PAIR_FIELDS else 1):
            raise ImportFileError(
                _("Kolumnen ”%(column)s” finns två gånger i rubrikraden (även som ”%(first)s”). Ta bort den ena.")
                % {"column": text, "first": slots[0][1]}
            )
        slots.append((index, text))
    warnings = []
    if unknown:
        warnings.append(
            ngettext(
                "Kolumnen %(columns)s känns inte igen och lästes inte in.",
                "Kolumnerna %(columns)s känns inte igen och lästes inte in.",
                len(unknown),
            )
            % {"columns": ", ".join(f"”{shorten(u, 40)}”" for u in unknown)}
        )
    return by_field, warnings


# Rows are checked a chunk at a time, column by column: each distinct cell text (or code/name
# pair) of a column is parsed once and then looked up for every row, which is what makes a file
# of 100 000 rows quick. The result is exactly what checking row by row, cell by cell gives.
CHUNK_ROWS = 256


def parse(file_name: str, data: bytes, lookups: Lookups, *, max_bytes: int) -> ParsedFile:
    """Read and validate a whole file. Raises ImportFileError when the file cannot be read at all."""
    with _cyclic_gc_paused():
        return _parse(file_name, data, lookups, max_bytes=max_bytes)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Parsing keeps hundreds of thousands of objects (rows, values) and makes no reference cycles
    worth collecting; the cyclic collector would scan the growing heap again and again, a third of
    the time at 100 000 rows. Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(file_name: str, data: bytes, lookups: Lookups, *, max_bytes: int) -> ParsedFile:
    blocks, warnings = read_blocks(file_name, data, max_bytes=max_bytes, size=CHUNK_ROWS)
    header: list[str] | None = None
    for lines, cells_list in blocks:  # the first block is the header alone
        if lines[0] == 1:
            header = cells_list[0]
        break
    if header is None:
        raise ImportFileError(_("Filen är tom."))
    if not any(str(c).strip() for c in header):
        raise ImportFileError(_("Första raden är tom. Den ska innehålla kolumnrubriker, se mallen."))
    by_field, header_warnings = map_headers(header)
    warnings.extend(header_warnings)
    if "orgnr" not in by_field:
        if orgnr_mod.is_valid(str(header[0])):
            raise ImportFileError(
                _("Rubrikraden saknas: första raden ska innehålla kolumnrubriker, till exempel Organisationsnummer.")
            )
        raise ImportFileError(_("Kolumnen Organisationsnummer saknas i rubrikraden (första raden). Se mallen."))

    parsers = field_parsers(lookups)
    fields = tuple(f for f in FIELDS if f in by_field)
    labels = {f: " / ".join(text for _i, text in slots) for f, slots in by_field.items()}
    orgnr_index, orgnr_label = by_field["orgnr"][0]
    missing = _("Värde saknas; fältet är obligatoriskt.")
    columns = [FieldColumn(parsers[f], by_field[f], f in PAIR_FIELDS, missing, MANY_PARSERS.get(f)) for f in fields]
    orgnrs = OrgnrColumn(orgnr_label)
    width = len(header)
    first = itemgetter(0)

    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    invalid: set[int] = set()
    data_rows = 0
    wide_rows = 0
    dropped = 0

    for lines, cells_list in blocks:
        if set(map(len, cells_list)) != {width}:
            cells_list = list(cells_list)
            for position, cells in enumerate(cells_list):
                if len(cells) > width:
                    if "".join(cells[width:]).strip():
                        wide_rows += 1
                    cells_list[position] = cells[:width]
                elif len(cells) < width:
                    cells_list[position] = cells + [""] * (width - len(cells))
        # Column by column from here on.
        cells_by_column = list(zip(*cells_list, strict=True))
        # A row with an organisation number is not blank; only otherwise are all its cells looked at.
        if not all(map(str.strip, cells_by_column[orgnr_index])):
            kept = list(map(str.strip, map("".join, cells_list)))
            if not all(kept):
                lines = tuple(compress(lines, kept))
                if not lines:
                    continue
                cells_by_column = list(zip(*compress(cells_list, kept), strict=True))
        del cells_list
        data_rows += len(lines)

        # Problems as (position in chunk, column, message): the organisation number first, then the
        # fields in order, which a stable sort by position turns into the row-by-row order.
        numbers, problems = orgnrs.check(cells_by_column[orgnr_index], lines)
        values = []
        for column in columns:
            column_values, column_problems = column.check(cells_by_column)
            values.append(column_values)
            problems.extend(column_problems)
        row_values = zip(*values, strict=True) if values else repeat((), len(lines))
        if not problems:
            rows.extend(map(ParsedRow, lines, numbers, row_values))
            continue
        problems.sort(key=first)
        failed = set()
        for position, column_label, message in problems:
            line = lines[position]
            failed.add(position)
            invalid.add(line)
            if len(errors) < MAX_STORED_ERRORS:
                errors.append(RowError(line, column_label, message))
            else:
                dropped += 1
        rows.extend(
            ParsedRow(line, number, row)
            for position, (line, number, row) in enumerate(zip(lines, numbers, row_values, strict=True))
            if position not in failed
        )

    if wide_rows:
        warnings.append(
            ngettext(
                "%(count)s rad har fler celler än rubrikraden; de extra cellerna lästes inte.",
                "%(count)s rader har fler celler än rubrikraden; de extra cellerna lästes inte.",
                wide_rows,
            )
            % {"count": wide_rows}
        )
    if data_rows == 0:
        raise ImportFileError(_("Filen innehåller rubriker men inga rader med organisationer."))
    if dropped:
        warnings.append(
            _("Filen har fler än %(max)s fel; bara de första visas.")
            % {"max": f"{MAX_STORED_ERRORS:,}".replace(",", " ")}
        )
    labels["orgnr"] = orgnr_label
    return ParsedFile(
        fields=fields,
        column_labels=labels,
        rows=rows,
        errors=errors,
        warnings=warnings,
        data_rows=data_rows,
        invalid_lines=invalid,
        errors_dropped=dropped,
    )
