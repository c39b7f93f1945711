"""Import of organisations from a CSV or XLSX file: a dry run, or one atomic bulk write.

Parsing and validation are pure (importer.py). Here the rows are compared with what is stored
(fetched by organisationsnummer in chunks) and only new or changed rows are written, in bulk
(import_storage.py: COPY on PostgreSQL, executemany elsewhere). Each created or changed
organisation gets one audit entry with its field diff, and each applied import one ImportRun.
Everything happens in one transaction, with the register locked against other writers, so a
failure anywhere leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.scopes import scope_for
from civsam.core.collation import sort_key
from civsam.core.models import ActivityClass, AuditEntry, LegalForm, Municipality, SocietalRole

from . import import_storage as storage
from . import importer, orgnr, permissions, services
from .importer import FIELDS, ParsedFile, ParsedRow, RowError
from .models import DuplicateCandidate, ImportRun, Organisation

# Above this many created or changed rows, duplicate detection is left to `manage.py detect_duplicates`
# so that a request does not run for minutes.
INLINE_DUPLICATE_LIMIT = 5000
SAMPLE_SIZE = 50
AUDIT_NOTE_PREFIX = "Import från fil: "

_NAME = FIELDS.index("name")
_MUNICIPALITY = FIELDS.index("municipality")
_DESCRIPTION = FIELDS.index("description")


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
class ImportResult:
    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one error
    rows: int = 0  # non-empty rows after the header
    errors: list[RowError] = field(default_factory=list)  # line 0: the file as a whole
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    changes: list[RowChange] = field(default_factory=list)  # the first SAMPLE_SIZE new or changed rows
    duplicates_flagged: int = 0
    duplicates_deferred: bool = False  # left to `manage.py detect_duplicates`
    run_id: int | None = None
    errors_dropped: int = 0  # errors beyond what is kept in memory

    @property
    def file_error(self) -> str:
        return " ".join(e.message for e in self.errors if e.line == 0)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def changed(self) -> int:
        return self.created + self.updated

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class _Plan:
    creates: list[ParsedRow] = field(default_factory=list)
    updates: list[tuple[ParsedRow, int, tuple, list[str]]] = field(default_factory=list)  # row, id, stored, changed
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    sample: list[RowChange] = field(default_factory=list)


def lookups_load() -> importer.Lookups:
    """Reference data keyed by every spelling the import accepts: code, Swedish and English name."""
    key = importer.fold_key
    legal_forms: dict[str, int] = {}
    excluded: dict[str, str] = {}
    legal_names: dict[int, str] = {}
    for pk, code, name_sv, name_en, civil in LegalForm.objects.values_list(
        "id", "code", "name_sv", "name_en", "is_civil_society"
    ):
        legal_names[pk] = name_sv
        for spelling in (code, name_sv, name_en):
            if civil:
                legal_forms.setdefault(key(spelling), pk)
            else:
                excluded.setdefault(key(spelling), name_sv)
    municipalities: dict[str, int] = {}
    municipality_names: dict[int, str] = {}
    for pk, code, name in Municipality.objects.values_list("id", "code", "name"):
        municipality_names[pk] = name
        municipalities.setdefault(key(code), pk)
        municipalities.setdefault(key(name), pk)

    def coded(model) -> tuple[dict[str, int], dict[int, str]]:
        by_key: dict[str, int] = {}
        codes: dict[int, str] = {}
        for pk, code, name_sv, name_en in model.objects.values_list("id", "code", "name_sv", "name_en"):
            codes[pk] = code
            for spelling in (code, name_sv, name_en):
                by_key.setdefault(key(spelling), pk)
        return by_key, codes

    activities, activity_codes = coded(ActivityClass)
    roles, role_codes = coded(SocietalRole)
    return importer.Lookups(
        legal_forms=legal_forms,
        municipalities=municipalities,
        activities=activities,
        roles=roles,
        legal_form_names=legal_names,
        municipality_names=municipality_names,
        activity_codes=activity_codes,
        role_codes=role_codes,
        excluded_legal_forms=excluded,
    )


def organisations_import(
    *,
    actor,
    file_name: str,
    data: bytes,
    apply: bool,
    valid_rows_only: bool = False,
    detect_duplicates: bool = True,
) -> ImportResult:
    """Import organisations from a CSV or XLSX file; apply=False is a dry run that writes nothing.

    A file with errors is applied only with valid_rows_only, and then without the rows in error.
    actor None is the system (a management command); otherwise the actor needs can_import, and a
    municipal officer may only touch organisations in their own municipalities.
    """
    if actor is not None and not permissions.can_import(actor):
        raise PermissionDenied(_("Du får inte importera organisationer."))
    result = ImportResult(file_name=file_name)
    lookups = lookups_load()
    try:
        parsed = importer.parse(file_name, data, lookups, max_bytes=settings.IMPORT_MAX_BYTES)
    except importer.ImportFileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    result.warnings = parsed.warnings
    result.rows = parsed.data_rows
    result.errors_dropped = parsed.errors_dropped
    if not apply:
        _summarise(result, _plan(parsed, lookups, actor))
        return result

    with transaction.atomic():
        storage.lock_register()
        plan = _plan(parsed, lookups, actor)
        _summarise(result, plan)
        if (plan.errors and not valid_rows_only) or result.valid == 0:
            return result
        created_ids, _changed_ids = _write(plan, parsed, lookups, actor=actor, file_name=file_name)
        run = ImportRun.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            filename=file_name[:255],
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=result.rejected,
        )
        result.run_id = run.pk
        result.applied = True
        # New organisations, and changed ones whose name or municipality moved, may now look like others.
        touched = created_ids + [
            pk for (_row, pk, _stored, changed) in plan.updates if "name" in changed or "municipality" in changed
        ]
        if touched and detect_duplicates and result.changed <= INLINE_DUPLICATE_LIMIT:
            municipalities = set(
                Organisation.objects.filter(pk__in=touched).values_list("municipality_id", flat=True).distinct()
            )
            # Counted here: the service's own count includes pairs that were already flagged.
            before = DuplicateCandidate.objects.count()
            services.duplicates_detect(organisation_ids=set(touched), municipality_ids=municipalities)
            result.duplicates_flagged = DuplicateCandidate.objects.count() - before
        elif touched:
            result.duplicates_deferred = True
    return result


def _summarise(result: ImportResult, plan: _Plan) -> None:
    result.created = len(plan.creates)
    result.updated = len(plan.updates)
    result.unchanged = plan.unchanged
    result.errors = plan.errors
    result.rejected = len(plan.rejected)
    result.changes = plan.sample


def _plan(parsed: ParsedFile, lookups: importer.Lookups, actor) -> _Plan:
    """Compare every valid row with what is stored: new, changed or unchanged, or an error of scope."""
    plan = _Plan(errors=list(parsed.errors), rejected=set(parsed.invalid_lines))
    stored = storage.fetch_existing([row.orgnr for row in parsed.rows], fetch_sets=parsed.fields)
    where = importer.positions(parsed.fields)
    scope = scope_for(actor) if actor is not None else None
    allowed = None if scope is None or scope.region_admin else scope.municipality_ids
    municipality_value = parsed.fields.index("municipality") if "municipality" in parsed.fields else None
    extra_errors: list[RowError] = []

    for row in parsed.rows:
        existing = stored.get(row.orgnr)
        if allowed is not None:
            problem = _outside_scope(row, existing, allowed, parsed, lookups, municipality_value)
            if problem:
                extra_errors.append(problem)
                plan.rejected.add(row.line)
                continue
        if existing is None:
            missing = importer.missing_for_new(row, parsed)
            if missing:
                extra_errors.extend(missing)
                plan.rejected.add(row.line)
                continue
            plan.creates.append(row)
            if len(plan.sample) < SAMPLE_SIZE:
                plan.sample.append(_creation(row, parsed, lookups))
            continue
        pk, values = existing
        changed = importer.changed_fields(values, row, parsed.fields, where)
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


def _creation(row: ParsedRow, parsed: ParsedFile, lookups) -> RowChange:
    changes = [
        FieldChange(f, str(importer.FIELD_LABELS[f]), "", importer.display(f, value, lookups))
        for f, value in zip(parsed.fields, row.values, strict=True)
        if not _is_blank(value)
    ]
    name = row.values[parsed.fields.index("name")] if "name" in parsed.fields else ""
    return RowChange(row.line, row.orgnr, name, True, changes)


def _update(row: ParsedRow, parsed: ParsedFile, stored: tuple, changed: list[str], lookups) -> RowChange:
    changes = [
        FieldChange(
            f,
            str(importer.FIELD_LABELS[f]),
            importer.display(f, stored[FIELDS.index(f)], lookups),
            importer.display(f, row.values[parsed.fields.index(f)], lookups),
        )
        for f in changed
    ]
    return RowChange(row.line, row.orgnr, _labeller(parsed)(row, stored), False, changes)


# Writing -----------------------------------------------------------------------------------------


def _write(plan: _Plan, parsed: ParsedFile, lookups, *, actor, file_name: str) -> tuple[list[int], list[int]]:
    """Write new and changed rows, their sets and their audit entries; returns (created ids, changed ids).

    The register is locked against other writers (storage.lock_register), so rows found new are
    still new: they are inserted without a conflict clause, and changed rows are updated by id.
    """
    where = importer.positions(parsed.fields)
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    search_document = SearchDocuments()

    def org_row(number: str, values: tuple) -> tuple:
        scalars = tuple(values[p] for p in storage.SCALAR_POSITIONS)
        name = values[_NAME]
        return (number, *scalars, search_document(name, values[_DESCRIPTION], number), sort_key(name))

    # A new row's scalar columns, picked in one call from its values followed by the defaults.
    width = len(parsed.fields)
    picks = [where.index(p) if p in where else width + p for p in storage.SCALAR_POSITIONS]
    pick = itemgetter(*picks)
    name_at, description_at = picks[0], picks[storage.SCALAR_FIELDS.index("description")]

    def creation_row(row: ParsedRow) -> tuple:
        values = row.values + importer.NEW_DEFAULTS
        number = row.orgnr
        name = values[name_at]
        return (number, *pick(values), search_document(name, values[description_at], number), sort_key(name))

    with storage.bulk_load(storage.is_bulk_load(len(plan.creates))):
        creations = (creation_row(row) for row in plan.creates)
        if postgres:
            created_ids = storage.next_ids(len(plan.creates))
            storage.copy_insert(zip(created_ids, creations, strict=True), now=now)
        else:
            created_ids = storage.insert_rows(creations, [row.orgnr for row in plan.creates], now=now)
        changes = (
            (pk, *org_row(row.orgnr, importer.merged(_fill_sets(stored), row, where))[1:])
            for row, pk, stored, _changed in plan.updates
        )
        storage.update_rows(changes, now=now)
        changed_ids = [pk for (_row, pk, _stored, _changed) in plan.updates]

        for name in importer.M2M_FIELDS:
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
    label = _labeller(parsed)
    if postgres:
        diff_of = _creation_differ(parsed, lookups)
        created = ((pk, label(row, None), diff_of(row)) for pk, row in zip(created_ids, plan.creates, strict=True))
        storage.audit_rows(actor, AuditEntry.Action.CREATE, created, note=note, now=now)
    else:
        storage.audit_created(actor, parsed.fields, created_ids, note=note, now=now)
    storage.audit_rows(
        actor,
        AuditEntry.Action.UPDATE,
        (
            (pk, label(row, stored), _update_diff(row, parsed, stored, changed, lookups))
            for (row, pk, stored, changed) in plan.updates
        ),
        note=note,
        now=now,
    )
    return created_ids, changed_ids


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
        terms = services.search_document_for(name=name).split()
        if description:
            described = self._descriptions.get(description)
            if described is None:
                described = services.search_document_for(name=description).split()
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


_SET_POSITIONS = tuple(FIELDS.index(f) for f in importer.M2M_FIELDS)


def _fill_sets(stored: tuple) -> tuple:
    """Sets not read from the database (their column is absent) are never written; any value will do."""
    return tuple(frozenset() if v is None and i in _SET_POSITIONS else v for i, v in enumerate(stored))


def _labeller(parsed: ParsedFile):
    name_at = parsed.fields.index("name") if "name" in parsed.fields else None

    def label(row: ParsedRow, stored: tuple | None) -> str:
        if name_at is not None:
            return row.values[name_at]
        return stored[_NAME] if stored else row.orgnr

    return label


def _is_blank(value: Any) -> bool:
    return value is None or value is False or value == "" or value == frozenset()


def _creation_differ(parsed: ParsedFile, lookups):
    """A function making the audit diff of a created row: every non-empty field as [None, value].

    SQLite makes the same diff in SQL (import_storage.audit_created); a test holds the two equal.
    """
    converters = []
    for f in parsed.fields:
        if f in ("legal_form", "municipality") or f in importer.M2M_FIELDS:
            cache: dict = {}

            def convert(value, f=f, cache=cache):
                hit = cache.get(value)
                if hit is None:
                    hit = cache[value] = importer.audit_value(f, value, lookups)
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
        diff[f] = [importer.audit_value(f, old, lookups), importer.audit_value(f, new, lookups)]
    return diff
