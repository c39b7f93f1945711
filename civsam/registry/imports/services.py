"""Import of organisations from a CSV or XLSX file: a dry run, or one atomic bulk write.

The pipeline (README.md): the file is read and parsed (parse.py, pure), each row is compared with
what is stored (plan.py, pure, over storage.fetch_existing) and only new or changed rows are
written, in bulk (write.py through storage/). Each created or changed organisation gets one audit
entry with its field diff, and each applied import one ImportRun. Everything happens in one
transaction, with the register locked against other writers, so a failure anywhere leaves
nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole
from civsam.core.tabular import ImportFileError

from .. import permissions
from .. import services as registry_services
from ..models import DuplicateCandidate, ImportRun, Organisation
from . import storage
from .fields import Lookups
from .layout import fold_key
from .parse import RowError, parse
from .plan import Plan, RowChange, plan_rows
from .write import plan_write

# Above this many created or changed rows, duplicate detection is left to `manage.py detect_duplicates`
# so that a request does not run for minutes.
INLINE_DUPLICATE_LIMIT = 5000


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


def lookups_load() -> Lookups:
    """Reference data keyed by every spelling the import accepts: code, Swedish and English name."""
    legal_forms: dict[str, int] = {}
    excluded: dict[str, str] = {}
    legal_names: dict[int, str] = {}
    for pk, code, name_sv, name_en, civil in LegalForm.objects.values_list(
        "id", "code", "name_sv", "name_en", "is_civil_society"
    ):
        legal_names[pk] = name_sv
        for spelling in (code, name_sv, name_en):
            if civil:
                legal_forms.setdefault(fold_key(spelling), pk)
            else:
                excluded.setdefault(fold_key(spelling), name_sv)
    municipalities: dict[str, int] = {}
    municipality_names: dict[int, str] = {}
    for pk, code, name in Municipality.objects.values_list("id", "code", "name"):
        municipality_names[pk] = name
        municipalities.setdefault(fold_key(code), pk)
        municipalities.setdefault(fold_key(name), pk)

    def coded(model) -> tuple[dict[str, int], dict[int, str]]:
        by_key: dict[str, int] = {}
        codes: dict[int, str] = {}
        for pk, code, name_sv, name_en in model.objects.values_list("id", "code", "name_sv", "name_en"):
            codes[pk] = code
            for spelling in (code, name_sv, name_en):
                by_key.setdefault(fold_key(spelling), pk)
        return by_key, codes

    activities, activity_codes = coded(ActivityClass)
    roles, role_codes = coded(SocietalRole)
    return Lookups(
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
    actor None is the system (a management command); otherwise the actor needs
    can_import_organisations, and a municipal officer may only touch organisations in their own
    municipalities.
    """
    if actor is not None and not permissions.can_import_organisations(actor):
        raise PermissionDenied(_("Du får inte importera organisationer."))
    municipality_ids = None if actor is None else permissions.import_municipality_ids(actor)
    result = ImportResult(file_name=file_name)
    lookups = lookups_load()
    try:
        parsed = parse(file_name, data, lookups, max_bytes=settings.IMPORT_MAX_BYTES)
    except ImportFileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    result.warnings = parsed.warnings
    result.rows = parsed.data_rows
    result.errors_dropped = parsed.errors_dropped

    def planned() -> Plan:
        stored = storage.fetch_existing([row.orgnr for row in parsed.rows], fetch_sets=parsed.fields)
        return plan_rows(parsed, stored, lookups, municipality_ids=municipality_ids)

    if not apply:
        _summarise(result, planned())
        return result

    with transaction.atomic():
        storage.backend().lock_register()
        plan = planned()
        _summarise(result, plan)
        if (plan.errors and not valid_rows_only) or result.valid == 0:
            return result
        created_ids = plan_write(plan, parsed, lookups, actor=actor, file_name=file_name)
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
            registry_services.duplicates_detect(organisation_ids=set(touched), municipality_ids=municipalities)
            result.duplicates_flagged = DuplicateCandidate.objects.count() - before
        elif touched:
            result.duplicates_deferred = True
    return result


def _summarise(result: ImportResult, plan: Plan) -> None:
    result.created = len(plan.creates)
    result.updated = len(plan.updates)
    result.unchanged = plan.unchanged
    result.errors = plan.errors
    result.rejected = len(plan.rejected)
    result.changes = plan.sample
