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

from collections.abc import Callable
from dataclasses import dataclass, field
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
    normalise_newlines,
    parse_bool,
    parse_codes,
    parse_email,
    parse_int,
    parse_website,
    shorten,
)
from .import_files import ImportFileError, read_table
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
    # Codes, flags and years repeat from row to row: each distinct cell is parsed once.
    return {
        "name": name,
        "legal_form": _memoized(legal_form),
        "municipality": _memoized(municipality),
        "activity_classes": _memoized(lambda raw: parse_codes(raw, lookups.activities, activity_word, activity_list)),
        "roles": _memoized(lambda raw: parse_codes(raw, lookups.roles, role_word, role_list)),
        "website": parse_website,
        "email": parse_email,
        "description": description,
        "founded_year": _memoized(lambda raw: parse_int(raw, minimum=FOUNDED_MIN, maximum=FOUNDED_MAX)),
        "member_count": _memoized(lambda raw: parse_int(raw, minimum=0, maximum=MEMBERS_MAX)),
        "social_enterprise": _memoized(parse_bool),
        "work_integrating": _memoized(parse_bool),
        "ideburen_registered": _memoized(parse_bool),
    }


def _memoized(parser: Callable[[str], Any], limit: int = 20_000) -> Callable[[str], Any]:
    """The parser with its results (and Swedish error messages) remembered per distinct cell text."""
    cache: dict[str, tuple[bool, Any]] = {}

    def parse_cell(raw: str) -> Any:
        hit = cache.get(raw)
        if hit is None:
            try:
                hit = (True, parser(raw))
            except CellError as exc:
                hit = (False, str(exc))
            if len(cache) < limit:
                cache[raw] = hit
        if hit[0]:
            return hit[1]
        raise CellError(hit[1])

    return parse_cell


def parse(file_name: str, data: bytes, lookups: Lookups, *, max_bytes: int) -> ParsedFile:
    """Read and validate a whole file. Raises ImportFileError when the file cannot be read at all."""
    table, warnings = read_table(file_name, data, max_bytes=max_bytes)
    header: list[str] | None = None
    for line, cells in table:
        if line == 1:
            header = cells
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
    # Per present field: (cell index or None for a code/name pair, parser, slots, required).
    plan = [
        (by_field[f][0][0] if len(by_field[f]) == 1 else None, parsers[f], by_field[f], f in PAIR_FIELDS)
        for f in fields
    ]
    width = len(header)

    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    invalid: set[int] = set()
    seen: dict[str, int] = {}
    data_rows = 0
    wide_rows = 0
    dropped = 0
    missing = _("Värde saknas; fältet är obligatoriskt.")

    def add_error(line: int, column: str, message: str) -> None:
        nonlocal dropped
        invalid.add(line)
        if len(errors) < MAX_STORED_ERRORS:
            errors.append(RowError(line, column, message))
        else:
            dropped += 1

    for line, cells in table:
        if len(cells) != width:
            if len(cells) > width:
                if "".join(cells[width:]).strip():
                    wide_rows += 1
                cells = cells[:width]
            else:
                cells = cells + [""] * (width - len(cells))
        if not "".join(cells).strip():
            continue
        data_rows += 1
        ok = True
        number = fast_orgnr(cells[orgnr_index])
        if number is None:
            try:
                number = orgnr_mod.normalise(clean_text(cells[orgnr_index]))
            except orgnr_mod.OrgnrError as exc:
                add_error(line, orgnr_label, str(exc))
                ok = False
                number = ""
        if number:
            first_line = seen.get(number)
            if first_line is not None:
                add_error(
                    line,
                    orgnr_label,
                    _("Organisationsnumret %(orgnr)s finns redan på rad %(line)s.")
                    % {"orgnr": orgnr_mod.format_display(number), "line": first_line},
                )
                ok = False
            else:
                seen[number] = line
        values = []
        for index, parser, slots, required in plan:
            try:
                value = parser(cells[index]) if index is not None else _pair(parser, cells, slots)
                if value is None and required:
                    raise CellError(missing)
            except CellError as exc:
                add_error(line, _slot_label(exc, slots), str(exc))
                ok = False
                value = None
            values.append(value)
        if ok:
            rows.append(ParsedRow(line, number, tuple(values)))

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


class _PairCellError(CellError):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def _slot_label(exc: CellError, slots: list[tuple[int, str]]) -> str:
    return exc.column if isinstance(exc, _PairCellError) else slots[0][1]


def _pair(parser: Callable[[str], Any], cells: list[str], slots: list[tuple[int, str]]) -> Any:
    """A field given by two columns (code and name): either may be empty; if both are given they must agree."""
    (index_a, label_a), (index_b, label_b) = slots
    try:
        a = parser(cells[index_a])
    except CellError as exc:
        raise _PairCellError(str(exc), label_a) from exc
    try:
        b = parser(cells[index_b])
    except CellError as exc:
        raise _PairCellError(str(exc), label_b) from exc
    if a is not None and b is not None and a != b:
        raise _PairCellError(
            _("”%(a)s” och ”%(b)s” stämmer inte överens.")
            % {"a": shorten(cells[index_a], 40), "b": shorten(cells[index_b], 40)},
            f"{label_a} / {label_b}",
        )
    return a if a is not None else b


# Comparing with existing rows --------------------------------------------------------------------


def missing_for_new(row: ParsedRow, parsed: ParsedFile) -> list[RowError]:
    """A new organisation needs a name, a legal form and a municipality, in columns or cells."""
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
