"""Planning an import: each valid row compared with what is stored, as new, changed or unchanged,
or refused (outside the importer's municipalities, or missing what a new organisation needs).
Pure Python, no database: the caller passes the stored values (storage.fetch_existing).

Stored and merged values are full tuples ordered as layout.FIELDS; a parsed row holds only the
fields present in the file (ParsedFile.fields), so `positions` says where each one goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from .. import orgnr
from .fields import Lookups
from .layout import COLUMN_BY_KEY, FIELD_LABELS, FIELDS, REQUIRED_FOR_NEW
from .parse import ParsedFile, ParsedRow, RowError

SAMPLE_SIZE = 50  # new or changed rows shown in the preview

_NAME = FIELDS.index("name")
_MUNICIPALITY = FIELDS.index("municipality")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    line: int
    orgnr: str
    name: str
    created: bool
    changes: list[FieldChange]

    @property
    def orgnr_display(self) -> str:
        return orgnr.format_display(self.orgnr)


@dataclass
class Plan:
    creates: list[ParsedRow] = field(default_factory=list)
    updates: list[tuple[ParsedRow, int, tuple, list[str]]] = field(default_factory=list)  # row, id, stored, changed
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    sample: list[RowChange] = field(default_factory=list)


def plan_rows(
    parsed: ParsedFile,
    stored: dict[str, tuple[int, tuple]],
    lookups: Lookups,
    *,
    municipality_ids: frozenset[int] | None,
) -> Plan:
    """Compare every valid row with the stored one (orgnr -> (id, values)), if any.

    municipality_ids: where the importer may create, change or move organisations; None for anywhere.
    """
    plan = Plan(errors=list(parsed.errors), rejected=set(parsed.invalid_lines))
    where = positions(parsed.fields)
    municipality_value = parsed.fields.index("municipality") if "municipality" in parsed.fields else None
    extra_errors: list[RowError] = []

    for row in parsed.rows:
        existing = stored.get(row.orgnr)
        if municipality_ids is not None:
            problem = _outside_scope(row, existing, municipality_ids, parsed, lookups, municipality_value)
            if problem:
                extra_errors.append(problem)
                plan.rejected.add(row.line)
                continue
        if existing is None:
            missing = missing_for_new(row, parsed)
            if missing:
                extra_errors.extend(missing)
                plan.rejected.add(row.line)
                continue
            plan.creates.append(row)
            if len(plan.sample) < SAMPLE_SIZE:
                plan.sample.append(_creation(row, parsed, lookups))
            continue
        pk, values = existing
        changed = changed_fields(values, row, parsed.fields, where)
        if not changed:
            plan.unchanged += 1
            continue
        plan.updates.append((row, pk, values, changed))
        if len(plan.sample) < SAMPLE_SIZE:
            plan.sample.append(_update(row, parsed, values, changed, lookups))
    if extra_errors:
        plan.errors = sorted(plan.errors + extra_errors, key=lambda e: e.line)
    return plan


def _outside_scope(row, existing, allowed, parsed, lookups, municipality_value) -> RowError | None:
    """An officer may import only organisations whose municipality, before and after, is their own."""
    if existing is not None:
        current = existing[1][_MUNICIPALITY]
        if current not in allowed:
            return RowError(
                row.line,
                parsed.column_labels["orgnr"],
                _("Organisationen %(orgnr)s hör till %(municipality)s, där du inte har behörighet att ändra.")
                % {
                    "orgnr": orgnr.format_display(row.orgnr),
                    "municipality": lookups.municipality_names.get(current, ""),
                },
            )
    if municipality_value is not None:
        target = row.values[municipality_value]
        if target not in allowed:
            return RowError(
                row.line,
                parsed.column_labels["municipality"],
                _("Du får inte importera organisationer i %(municipality)s.")
                % {"municipality": lookups.municipality_names.get(target, "")},
            )
    return None


def missing_for_new(row: ParsedRow, parsed: ParsedFile) -> list[RowError]:
    """A new organisation needs a name, a legal form and a municipality, in columns or cells."""
    if parsed.fields[:_REQUIRED_COUNT] == REQUIRED_FOR_NEW and None not in row.values[:_REQUIRED_COUNT]:
        return []  # the usual row, all three in their columns (they come first, as in FIELDS)
    errors = []
    where = {f: i for i, f in enumerate(parsed.fields)}
    for name in REQUIRED_FOR_NEW:
        position = where.get(name)
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


# How rows and values are shown: in the preview, and in the change history --------------------------


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


def labeller(parsed: ParsedFile) -> Callable[[ParsedRow, tuple | None], str]:
    """The name a row goes by: the file's name, else the stored one, else the number."""
    name_at = parsed.fields.index("name") if "name" in parsed.fields else None

    def label(row: ParsedRow, stored: tuple | None) -> str:
        if name_at is not None:
            return row.values[name_at]
        return stored[_NAME] if stored else row.orgnr

    return label


def _creation(row: ParsedRow, parsed: ParsedFile, lookups: Lookups) -> RowChange:
    changes = [
        FieldChange(f, str(FIELD_LABELS[f]), "", display(f, value, lookups))
        for f, value in zip(parsed.fields, row.values, strict=True)
        if not _is_blank(value)
    ]
    name = row.values[parsed.fields.index("name")] if "name" in parsed.fields else ""
    return RowChange(row.line, row.orgnr, name, True, changes)


def _update(row: ParsedRow, parsed: ParsedFile, stored: tuple, changed: list[str], lookups: Lookups) -> RowChange:
    changes = [
        FieldChange(
            f,
            str(FIELD_LABELS[f]),
            display(f, stored[FIELDS.index(f)], lookups),
            display(f, row.values[parsed.fields.index(f)], lookups),
        )
        for f in changed
    ]
    return RowChange(row.line, row.orgnr, labeller(parsed)(row, stored), False, changes)


def _is_blank(value: Any) -> bool:
    return value is None or value is False or value == "" or value == frozenset()
