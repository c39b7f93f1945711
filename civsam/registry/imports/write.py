"""Writing a planned import: new and changed rows, their sets and their change history, in bulk
through the database's storage module (storage/), inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from operator import itemgetter

from django.utils import timezone

from civsam.core.collation import sort_key
from civsam.core.models import AuditEntry

from .. import services as registry_services
from . import storage
from .fields import Lookups
from .layout import FIELDS, M2M_FIELDS
from .parse import ParsedFile, ParsedRow
from .plan import NEW_DEFAULTS, Plan, audit_value, labeller, merged, positions
from .storage import common as storage_common

AUDIT_NOTE_PREFIX = "Import från fil: "

_NAME = FIELDS.index("name")
_DESCRIPTION = FIELDS.index("description")
_SET_POSITIONS = tuple(FIELDS.index(f) for f in M2M_FIELDS)


def plan_write(plan: Plan, parsed: ParsedFile, lookups: Lookups, *, actor, file_name: str) -> list[int]:
    """Write new and changed rows, their sets and their audit entries; returns the created ids.

    The register is locked against other writers (storage lock_register), so rows found new are
    still new: they are inserted without a conflict clause, and changed rows are updated by id.
    """
    db = storage.backend()
    where = positions(parsed.fields)
    now = timezone.now()
    search_document = SearchDocuments()

    def org_row(number: str, values: tuple) -> tuple:
        scalars = tuple(values[p] for p in storage.common.SCALAR_POSITIONS)
        name = values[_NAME]
        return (number, *scalars, search_document(name, values[_DESCRIPTION], number), sort_key(name))

    # A new row's scalar columns, picked in one call from its values followed by the defaults.
    width = len(parsed.fields)
    picks = [where.index(p) if p in where else width + p for p in storage.common.SCALAR_POSITIONS]
    pick = itemgetter(*picks)
    name_at, description_at = picks[0], picks[storage.common.SCALAR_FIELDS.index("description")]

    def creation_row(row: ParsedRow) -> tuple:
        values = row.values + NEW_DEFAULTS
        number = row.orgnr
        name = values[name_at]
        return (number, *pick(values), search_document(name, values[description_at], number), sort_key(name))

    with db.bulk_load() if storage.is_bulk_load(len(plan.creates)) else nullcontext():
        created_ids = db.insert_created(
            (creation_row(row) for row in plan.creates), [row.orgnr for row in plan.creates], now=now
        )
        storage_common.sectors_from_legal_forms(list(created_ids))
        changes = (
            (pk, *org_row(row.orgnr, merged(_fill_sets(stored), row, where))[1:])
            for row, pk, stored, _changed in plan.updates
        )
        db.update_rows(changes, now=now)

        for name in M2M_FIELDS:
            if name not in parsed.fields:
                continue
            position = parsed.fields.index(name)
            replaced = [(row, pk) for (row, pk, _stored, changed) in plan.updates if name in changed]
            pairs = [
                (pk, target)
                for pk, row in zip(created_ids, plan.creates, strict=True)
                for target in row.values[position]
            ]
            pairs += [(pk, target) for row, pk in replaced for target in row.values[position]]
            storage.replace_set(name, [pk for _row, pk in replaced], pairs)

    note = (AUDIT_NOTE_PREFIX + file_name)[:300]
    label = labeller(parsed)
    diff_of = _creation_differ(parsed, lookups)
    db.audit_created(
        actor,
        fields=parsed.fields,
        ids=created_ids,
        # Read only where the history is written from Python (PostgreSQL); SQLite makes it in SQL.
        entries=((pk, label(row, None), diff_of(row)) for pk, row in zip(created_ids, plan.creates, strict=True)),
        note=note,
        now=now,
    )
    db.audit_rows(
        actor,
        AuditEntry.Action.UPDATE,
        (
            (pk, label(row, stored), _update_diff(row, parsed, stored, changed, lookups))
            for (row, pk, stored, changed) in plan.updates
        ),
        note=note,
        now=now,
    )
    return created_ids


class SearchDocuments:
    """search_document_for(name, description, orgnr) for many rows, computed faster.

    The document lists the distinct stems of the name, then of the description, then of the number,
    in first-seen order; so it can be put together from the parts. Descriptions repeat from row to
    row and are stemmed once; an organisationsnummer is one word of digits, which stemming leaves as
    it is. A test holds this equal to search_document_for.
    """

    def __init__(self, limit: int = 20_000):
        self._descriptions: dict[str, list[str]] = {}
        self._limit = limit

    def __call__(self, name: str, description: str, number: str) -> str:
        terms = registry_services.search_document_for(name=name).split()
        if description:
            described = self._descriptions.get(description)
            if described is None:
                described = registry_services.search_document_for(name=description).split()
                if len(self._descriptions) < self._limit:
                    self._descriptions[description] = described
            if terms:
                seen = set(terms)
                terms += [t for t in described if t not in seen]
            else:
                terms = list(described)
        if number not in terms:
            terms.append(number)
        return " ".join(terms)


def _fill_sets(stored: tuple) -> tuple:
    """Sets not read from the database (their column is absent) are never written; any value will do."""
    return tuple(frozenset() if v is None and i in _SET_POSITIONS else v for i, v in enumerate(stored))


def _creation_differ(parsed: ParsedFile, lookups: Lookups) -> Callable[[ParsedRow], dict[str, list]]:
    """A function making the audit diff of a created row: every non-empty field as [None, value].

    SQLite makes the same diff in SQL (storage/sqlite.py audit_created); a test holds the two equal.
    """
    converters = []
    for f in parsed.fields:
        if f in ("legal_form", "municipality") or f in M2M_FIELDS:
            cache: dict = {}

            def convert(value, f=f, cache=cache):
                hit = cache.get(value)
                if hit is None:
                    hit = cache[value] = audit_value(f, value, lookups)
                return hit

            converters.append((f, convert))
        else:
            converters.append((f, None))

    def diff(row: ParsedRow) -> dict[str, list]:
        result: dict[str, list] = {"orgnr": [None, row.orgnr]}
        for (f, convert), value in zip(converters, row.values, strict=True):
            # Blank: None, "", False or an empty set; 0 is a value.
            if value or (value == 0 and value is not False):
                result[f] = [None, convert(value) if convert else value]
        return result

    return diff


def _update_diff(row: ParsedRow, parsed: ParsedFile, stored: tuple, changed: list[str], lookups) -> dict[str, list]:
    diff = {}
    for f in changed:
        old = stored[FIELDS.index(f)]
        new = row.values[parsed.fields.index(f)]
        diff[f] = [audit_value(f, old, lookups), audit_value(f, new, lookups)]
    return diff
