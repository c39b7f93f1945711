"""Reading and checking an organisation import file (CSV or XLSX). Pure Python, no database.

The caller passes the reference data as lookup dicts (Lookups); this module turns bytes into
validated rows and per-row errors, and compares rows with existing values. Writing is done by
import_services.

Column layout: the export layout (registry/exports.py). Headers are matched case-insensitively,
with or without å/ä/ö, by key ("kommunkod") or by label ("Kommunkod"). A column that is missing
from the file leaves that field untouched; an empty cell in a present column clears the field
(empty text, no number, no codes, "nej"), except for the required ones (name, legal form,
municipality), where it is an error.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, filterfalse, repeat
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import orgnr as orgnr_mod
from .import_cells import (  # noqa: F401 - the cell parsers are part of this module's interface
    DESCRIPTION_MAX,
    FORMULA_PREFIXES,
    FOUNDED_MAX,
    FOUNDED_MIN,
    MEMBERS_MAX,
    NAME_MAX,
    CellError,
    clean_text,
    fast_orgnr,
    fast_orgnrs,
    normalise_newlines,
    parse_bool,
    parse_codes,
    parse_email,
    parse_int,
    parse_website,
    parse_websites,
    shorten,
)
from .import_files import ImportFileError, read_blocks
from .import_layout import (  # noqa: F401 - the layout is part of this module's interface
    COLUMN_BY_KEY,
    COLUMNS,
    FIELD_LABELS,
    FIELDS,
    FLAG_FIELDS,
    HEADER_INDEX,
    M2M_FIELDS,
    PAIR_FIELDS,
    REQUIRED_FOR_NEW,
    TEMPLATE_COLUMNS,
    Column,
    fold_key,
)

MAX_STORED_ERRORS = 50_000


@dataclass(frozen=True)
class RowError:
    line: int  # as a spreadsheet shows it: the header is line 1; 0 for the file as a whole
    column: str  # the header as written in the file
    message: str


@dataclass(frozen=True)
class Lookups:
    """Reference data, keyed by fold_key() of every accepted spelling (code, Swedish or English name)."""

    legal_forms: dict[str, int]
    municipalities: dict[str, int]
    activities: dict[str, int]
    roles: dict[str, int]
    # For messages and diffs.
    legal_form_names: dict[int, str] = field(default_factory=dict)
    municipality_names: dict[int, str] = field(default_factory=dict)
    activity_codes: dict[int, str] = field(default_factory=dict)
    role_codes: dict[int, str] = field(default_factory=dict)
    # Legal forms that exist but are not civil society (a municipality, a region).
    excluded_legal_forms: dict[str, str] = field(default_factory=dict)


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


def _map_headers(header: list[str]) -> tuple[dict[str, list[tuple[int, str]]], list[str]]:
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


def _allowed(table: dict[int, str]) -> str:
    return ", ".join(sorted(table.values(), key=lambda c: (len(c), c)))


def _names(raws: Iterable[str]) -> dict[str, str]:
    """The name parser for many cells at once, valid cells only: the rest get its message."""
    raws = list(raws)
    values = list(map(str.strip, raws))
    if all(values) and max(map(len, values), default=0) <= NAME_MAX and not any(map(str.startswith, raws, repeat("'"))):
        return dict(zip(raws, values, strict=True))  # the usual chunk, checked in C
    found = {}
    for raw in raws:
        value = raw.strip() if raw[:1] != "'" else clean_text(raw)
        if value and len(value) <= NAME_MAX:
            found[raw] = value
    return found


# For columns where most cells differ: many cells parsed in one call, the ordinary ones only.
_MANY_PARSERS: dict[str, Callable[[Iterable[str]], dict[str, Any]]] = {"name": _names, "website": parse_websites}


def _field_parsers(lookups: Lookups) -> dict[str, Callable[[str], Any]]:
    activity_list = _allowed(lookups.activity_codes)
    role_list = _allowed(lookups.role_codes)

    def name(raw: str) -> str:
        value = clean_text(raw)
        if not value:
            raise CellError(_("Namn saknas."))
        if len(value) > NAME_MAX:
            raise CellError(_("Namnet är längre än %(max)s tecken.") % {"max": NAME_MAX})
        return value

    def legal_form(raw: str) -> int | None:
        value = clean_text(raw)
        if not value:
            return None
        key = fold_key(value)
        found = lookups.legal_forms.get(key)
        if found is None:
            if key in lookups.excluded_legal_forms:
                raise CellError(
                    _("Juridisk form ”%(value)s” (%(name)s) hör inte till civilsamhället och kan inte registreras.")
                    % {"value": shorten(value, 40), "name": lookups.excluded_legal_forms[key]}
                )
            raise CellError(
                _("Okänd juridisk form ”%(value)s”. Ange en kod, till exempel 61 för ideell förening.")
                % {"value": shorten(value, 40)}
            )
        return found

    def municipality(raw: str) -> int | None:
        value = clean_text(raw)
        if not value:
            return None
        found = lookups.municipalities.get(fold_key(value))
        if found is None:
            raise CellError(
                _("Okänd kommun ”%(value)s”. Ange kommunens namn eller fyrsiffriga kod, till exempel 1880 för Örebro.")
                % {"value": shorten(value, 40)}
            )
        return found

    def description(raw: str) -> str:
        value = normalise_newlines(clean_text(raw))
        if len(value) > DESCRIPTION_MAX:
            raise CellError(_("Beskrivningen är längre än %(max)s tecken.") % {"max": DESCRIPTION_MAX})
        return value

    activity_word, role_word = _("verksamhetsområde"), _("roll")
    # Pure functions of the cell text: parse() calls each once per distinct cell (see _Field).
    return {
        "name": name,
        "legal_form": legal_form,
        "municipality": municipality,
        "activity_classes": lambda raw: parse_codes(raw, lookups.activities, activity_word, activity_list),
        "roles": lambda raw: parse_codes(raw, lookups.roles, role_word, role_list),
        "website": parse_website,
        "email": parse_email,
        "description": description,
        "founded_year": lambda raw: parse_int(raw, minimum=FOUNDED_MIN, maximum=FOUNDED_MAX),
        "member_count": lambda raw: parse_int(raw, minimum=0, maximum=MEMBERS_MAX),
        "social_enterprise": parse_bool,
        "work_integrating": parse_bool,
        "ideburen_registered": parse_bool,
    }


# Rows are checked a chunk at a time, column by column: each distinct cell text (or code/name
# pair) of a column is parsed once and then looked up for every row, which is what makes a file
# of 100 000 rows quick. The result is exactly what checking row by row, cell by cell gives.
CHUNK_ROWS = 256
_CACHE_LIMIT = 20_000  # distinct keys a column remembers between chunks


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
    by_field, header_warnings = _map_headers(header)
    warnings.extend(header_warnings)
    if "orgnr" not in by_field:
        if orgnr_mod.is_valid(str(header[0])):
            raise ImportFileError(
                _("Rubrikraden saknas: första raden ska innehålla kolumnrubriker, till exempel Organisationsnummer.")
            )
        raise ImportFileError(_("Kolumnen Organisationsnummer saknas i rubrikraden (första raden). Se mallen."))

    parsers = _field_parsers(lookups)
    fields = tuple(f for f in FIELDS if f in by_field)
    labels = {f: " / ".join(text for _i, text in slots) for f, slots in by_field.items()}
    orgnr_index, orgnr_label = by_field["orgnr"][0]
    missing = _("Värde saknas; fältet är obligatoriskt.")
    columns = [_Field(parsers[f], by_field[f], f in PAIR_FIELDS, missing, _MANY_PARSERS.get(f)) for f in fields]
    orgnrs = _OrgnrColumn(orgnr_label)
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


class _OrgnrColumn:
    """The organisation numbers of a file: normalised, and each allowed once (the first line keeps it)."""

    def __init__(self, label: str):
        self.label = label
        self.seen: dict[str, int] = {}

    def check(self, raws: list[str], lines: list[int]) -> tuple[list[str], list[tuple[int, str, str]]]:
        numbers = fast_orgnrs(raws)
        problems = []
        if None in numbers:
            for position, number in enumerate(numbers):
                if number is None:
                    try:
                        numbers[position] = orgnr_mod.normalise(clean_text(raws[position]))
                    except orgnr_mod.OrgnrError as exc:
                        problems.append((position, self.label, str(exc)))
                        numbers[position] = ""
        seen = self.seen
        distinct = set(numbers)
        if not problems and len(distinct) == len(numbers) and seen.keys().isdisjoint(distinct):
            seen.update(zip(numbers, lines, strict=True))  # the common case: no number seen before
            return numbers, problems
        for position, number in enumerate(numbers):
            if number:
                first_line = seen.get(number)
                if first_line is not None:
                    problems.append(
                        (
                            position,
                            self.label,
                            _("Organisationsnumret %(orgnr)s finns redan på rad %(line)s.")
                            % {"orgnr": orgnr_mod.format_display(number), "line": first_line},
                        )
                    )
                else:
                    seen[number] = lines[position]
        return numbers, problems


class _Field:
    """One present field, from one column or a code/name pair of columns.

    The parsers are pure functions of the cell text, so each distinct key (the cell, or the pair
    of cells) is parsed once: a row's value is a dict lookup, done for a whole chunk in C.
    """

    def __init__(
        self,
        parser: Callable[[str], Any],
        slots: list[tuple[int, str]],
        required: bool,
        missing: str,
        many: Callable[[Iterable[str]], dict[str, Any]] | None = None,
    ):
        self.many = many if len(slots) == 1 else None
        self.indexes = tuple(index for index, _label in slots)
        if len(slots) == 1:
            parse_key = parser
        else:
            (_index_a, label_a), (_index_b, label_b) = slots
            cells: dict[str, tuple[bool, Any]] = {}

            def parse_key(pair: tuple[str, str]) -> Any:
                return _pair(parser, cells, pair, label_a, label_b)

        self.cache = _Outcomes(parse_key, slots[0][1], missing if required else None)

    def check(self, cells_by_column: list[tuple[str, ...]]) -> tuple[list[Any], list[tuple[int, str, str]]]:
        """The chunk's values of this field, and its problems as (position, column, message)."""
        cache = self.cache
        cache.failures = 0
        if len(self.indexes) == 1:
            keys = cells_by_column[self.indexes[0]]
            if self.many is not None:
                unknown = filterfalse(cache.__contains__, set(keys))
                if cache.bad:
                    unknown = filterfalse(cache.bad.__contains__, unknown)
                cache.update(self.many(unknown))
        else:
            keys = zip(*map(cells_by_column.__getitem__, self.indexes), strict=True)
        values = list(map(cache.__getitem__, keys))
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        if not cache.failures:
            return values, []
        if len(cache.bad) > _CACHE_LIMIT:
            cache.bad.clear()
        return values, [(position, v.column, v.message) for position, v in enumerate(values) if type(v) is _Bad]


class _Bad:
    """A key's error, standing in for its value."""

    __slots__ = ("column", "message")

    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message


class _Outcomes(dict):
    """Key -> parsed value, filled on first lookup; invalid keys are kept aside and counted per lookup."""

    __slots__ = ("bad", "column", "failures", "missing", "parse_key")

    def __init__(self, parse_key: Callable[[Any], Any], column: str, missing: str | None):
        super().__init__()
        self.parse_key = parse_key
        self.column = column
        self.missing = missing  # the message for an empty required field, else None
        self.bad: dict[Any, _Bad] = {}
        self.failures = 0

    def __missing__(self, key: Any) -> Any:
        bad = self.bad.get(key)
        if bad is None:
            try:
                value = self.parse_key(key)
            except _PairCellError as exc:
                bad = _Bad(exc.column, str(exc))
            except CellError as exc:
                bad = _Bad(self.column, str(exc))
            else:
                if value is not None or self.missing is None:
                    self[key] = value
                    return value
                bad = _Bad(self.column, self.missing)
            self.bad[key] = bad
        self.failures += 1
        return bad


class _PairCellError(CellError):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def _pair(
    parser: Callable[[str], Any], cells: dict[str, tuple[bool, Any]], pair: tuple[str, str], label_a: str, label_b: str
) -> Any:
    """A field given by two columns (code and name): either may be empty; if both are given they must agree."""
    raw_a, raw_b = pair
    a = _cell(parser, cells, raw_a, label_a)
    b = _cell(parser, cells, raw_b, label_b)
    if a is not None and b is not None and a != b:
        raise _PairCellError(
            _("”%(a)s” och ”%(b)s” stämmer inte överens.") % {"a": shorten(raw_a, 40), "b": shorten(raw_b, 40)},
            f"{label_a} / {label_b}",
        )
    return a if a is not None else b


def _cell(parser: Callable[[str], Any], cells: dict[str, tuple[bool, Any]], raw: str, label: str) -> Any:
    """One cell of a pair, parsed once per distinct text (the same codes come in many pairs)."""
    hit = cells.get(raw)
    if hit is None:
        try:
            hit = (True, parser(raw))
        except CellError as exc:
            hit = (False, str(exc))
        if len(cells) < _CACHE_LIMIT:
            cells[raw] = hit
    if hit[0]:
        return hit[1]
    raise _PairCellError(hit[1], label)


# Comparing with existing rows --------------------------------------------------------------------


def missing_for_new(row: ParsedRow, parsed: ParsedFile) -> list[RowError]:
    """A new organisation needs a name, a legal form and a municipality, in columns or cells."""
    if parsed.fields[:_REQUIRED_COUNT] == REQUIRED_FOR_NEW and None not in row.values[:_REQUIRED_COUNT]:
        return []  # the usual row, all three in their columns (they come first, as in FIELDS)
    errors = []
    positions = {f: i for i, f in enumerate(parsed.fields)}
    for name in REQUIRED_FOR_NEW:
        position = positions.get(name)
        if position is None or row.values[position] is None:
            column = parsed.column_labels.get(name) or COLUMN_BY_KEY[_TEMPLATE_KEY[name]].label
            errors.append(
                RowError(
                    row.line,
                    column,
                    _("%(field)s saknas; det krävs för en ny organisation.") % {"field": FIELD_LABELS[name]},
                )
            )
    return errors


_REQUIRED_COUNT = len(REQUIRED_FOR_NEW)
_TEMPLATE_KEY = {"name": "namn", "legal_form": "juridisk_form", "municipality": "kommunkod"}


# A new organisation's value for each field the file does not have (FIELDS order; the first three are required).
NEW_DEFAULTS = (None, None, None, frozenset(), frozenset(), "", "", "", None, None, False, False, False)


def positions(fields: tuple[str, ...]) -> tuple[int, ...]:
    """Where each present field sits in a full tuple of values (ordered as FIELDS)."""
    return tuple(FIELDS.index(f) for f in fields)


def changed_fields(existing: tuple, row: ParsedRow, fields: tuple[str, ...], where: tuple[int, ...]) -> list[str]:
    """The present fields whose value differs from the stored one; existing is a full tuple ordered as FIELDS."""
    if len(where) > 1 and itemgetter(*where)(existing) == row.values:
        return []  # the common case, decided in one comparison
    return [f for f, p, value in zip(fields, where, row.values, strict=True) if existing[p] != value]


def merged(existing: tuple, row: ParsedRow, where: tuple[int, ...]) -> tuple:
    """The stored values with the file's values laid over them."""
    values = list(existing)
    for p, value in zip(where, row.values, strict=True):
        values[p] = value
    return tuple(values)


def display(field_name: str, value: Any, lookups: Lookups) -> str:
    """A value as a person reads it in the preview."""
    if value is None:
        return ""
    if field_name == "legal_form":
        return lookups.legal_form_names.get(value, str(value))
    if field_name == "municipality":
        return lookups.municipality_names.get(value, str(value))
    if field_name == "activity_classes":
        return "; ".join(sorted((lookups.activity_codes.get(v, str(v)) for v in value), key=lambda c: (len(c), c)))
    if field_name == "roles":
        return "; ".join(sorted(lookups.role_codes.get(v, str(v)) for v in value))
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    return str(value)


def audit_value(field_name: str, value: Any, lookups: Lookups) -> Any:
    """A value as the change history stores it: names for references, sorted codes for sets."""
    if value is None:
        return None
    if field_name in ("legal_form", "municipality"):
        return display(field_name, value, lookups)
    if field_name == "activity_classes":
        return sorted(lookups.activity_codes.get(v, str(v)) for v in value)
    if field_name == "roles":
        return sorted(lookups.role_codes.get(v, str(v)) for v in value)
    return value
