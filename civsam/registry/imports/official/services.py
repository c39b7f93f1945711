"""Import of an official bulk file: a dry run, or one transaction that writes every valid row.

The file is read as a stream (formats.py) and handled a chunk of rows at a time, so memory stays
flat whatever the file's size: per chunk, the stored organisations with those numbers are read in
one query, then new ones are created and the official fields of known ones are updated in bulk.

What is written for a known organisation is only what the register owns: its status with date and
source and its registration date. Name, municipality, description, flags and everything else that
people keep in Civsam are never touched. A new organisation is created only for a legal form of
civil society or the social economy (or a public body) that can be placed in a municipality of the
county; one that lies in the county's postal area but cannot be placed is reported, not guessed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core import collation
from civsam.core.models import AuditEntry, LegalForm, Municipality
from civsam.core.services import audit_log_bulk

from ... import permissions
from ...models import ImportRun, Organisation
from ...search import document as search_document
from .. import storage
from .formats import (
    ACTIVE,
    BOLAGSVERKET,
    DEREGISTERED,
    SCB,
    OfficialFileError,
    OfficialRow,
    RowProblem,
    read,
)
from .places import place

CHUNK = 2000
PROBLEMS_KEPT = 500  # the first problems are listed; the rest are counted

# Every legal form in the reference data (civil society, the social economy and the public bodies)
# but aktiebolag: JURFORM 49 covers every limited company, and the file cannot tell one with
# restricted profit distribution from the rest.
EXCLUDED_FORMS = frozenset({"49"})

SOURCE_NAMES = {SCB: "SCB, företagsregistret", BOLAGSVERKET: "Bolagsverket"}


@dataclass
class OfficialImportResult:
    source: str
    file_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    other_forms: int = 0  # legal forms outside civil society and the social economy
    outside_county: int = 0
    unplaceable: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    problems_dropped: int = 0
    file_error: str = ""
    applied: bool = False
    run_id: int | None = None
    status_changes: Counter[str] = field(default_factory=Counter)

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(RowProblem(line, message))
        else:
            self.problems_dropped += 1


class _Rollback(Exception):
    """A dry run undoes its writes at the end."""


def official_register_import(
    *, actor, source: str, file_name: str, stream: BinaryIO, apply: bool, on: datetime.date | None = None
) -> OfficialImportResult:
    """Import Statistics Sweden's or Bolagsverket's file. apply=False writes nothing and returns the
    same summary. actor None is the system (a management command); otherwise the actor needs
    can_import_official_register. `on` is the file's date, for the status dates it does not give."""
    if actor is not None and not permissions.can_import_official_register(actor):
        raise PermissionDenied(_("Du får inte importera de officiella registerfilerna."))
    result = OfficialImportResult(source=source, file_name=file_name)
    on = on or timezone.localdate()
    label = f"{SOURCE_NAMES.get(source, source)} {on.isoformat()}"
    legal_forms = dict(LegalForm.objects.exclude(code__in=EXCLUDED_FORMS).values_list("code", "id"))
    municipalities = dict(Municipality.objects.values_list("code", "id"))
    try:
        with transaction.atomic():
            storage.backend().lock_register()
            seen: set[str] = set()
            # The register's numbers, read once (memory follows the register, not the file): most
            # rows of a national file are neither known nor of a kept form and cost nothing more.
            known = set(Organisation.objects.values_list("orgnr", flat=True).order_by())
            chunk: list[OfficialRow] = []
            for item in read(source, stream, kept_forms=frozenset(legal_forms)):
                result.rows += 1
                if isinstance(item, RowProblem):
                    result.rejected += 1
                    result.problem(item.line, item.message)
                    continue
                if item.orgnr in seen:
                    result.rejected += 1
                    result.problem(
                        item.line,
                        _("Organisationsnumret %(orgnr)s finns redan på en tidigare rad.") % {"orgnr": item.orgnr},
                    )
                    continue
                if item.orgnr not in known and not item.legal_form_code:
                    result.other_forms += 1
                    continue
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    _chunk(chunk, result, seen, legal_forms, municipalities, label=label, on=on, actor=actor)
                    chunk = []
            _chunk(chunk, result, seen, legal_forms, municipalities, label=label, on=on, actor=actor)
            if not apply:
                raise _Rollback
            run = ImportRun.objects.create(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                filename=file_name[:255],
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                rejected=result.rejected + result.unplaceable,
            )
            result.run_id = run.pk
            result.applied = True
    except _Rollback:
        pass
    except OfficialFileError as exc:
        result.file_error = str(exc)
        result.applied = False
        result.run_id = None
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _status_update(
    stored: dict, row: OfficialRow, *, source: str, on: datetime.date
) -> tuple[str, datetime.date] | None:
    """The new (status, date) for a stored organisation, or None to leave it."""
    if row.status is None or row.status == stored["status"]:
        return None
    if not Organisation.WORKFLOW.allows(stored["status"], row.status):
        return None
    # Only the register that reports deregistrations and liquidations takes them back: Statistics
    # Sweden's "verksam" does not undo Bolagsverket's deregistration.
    if row.status == ACTIVE and source != BOLAGSVERKET:
        return None
    return row.status, row.status_date or on


def _chunk(
    rows: list[OfficialRow],
    result: OfficialImportResult,
    seen: set[str],
    legal_forms: dict[str, int],
    municipalities: dict[str, int],
    *,
    label: str,
    on: datetime.date,
    actor,
) -> None:
    if not rows:
        return
    stored = {
        values["orgnr"]: values
        for values in Organisation.objects.filter(orgnr__in=[row.orgnr for row in rows]).values(
            "id", "orgnr", "name", "status", "status_date", "registered_on"
        )
    }
    creates: list[Organisation] = []
    updates: list[tuple[dict, dict]] = []
    for row in rows:
        known = stored.get(row.orgnr)
        if known is not None:
            seen.add(row.orgnr)
            change: dict = {}
            step = _status_update(known, row, source=result.source, on=on)
            if step is not None:
                change.update(status=step[0], status_date=step[1], status_source=label)
                result.status_changes[step[0]] += 1
            if row.registered_on is not None and row.registered_on != known["registered_on"]:
                change.update(registered_on=row.registered_on, registered_source=label)
            if change:
                updates.append((known, change))
            else:
                result.unchanged += 1
            continue
        if not row.legal_form_code:
            result.other_forms += 1
            continue
        placement = place(row.postal_code, row.postal_town)
        if not placement.in_county:
            result.outside_county += 1
            continue
        if placement.municipality_code is None or placement.municipality_code not in municipalities:
            result.unplaceable += 1
            message = _(
                "%(name)s (%(orgnr)s) kan inte placeras i en kommun: ”%(address)s” finns inte bland länets postorter."
            )
            address = f"{row.postal_code} {row.postal_town}".strip()
            result.problem(row.line, message % {"name": row.name, "orgnr": row.orgnr, "address": address})
            continue
        seen.add(row.orgnr)
        status = row.status or ACTIVE
        creates.append(
            Organisation(
                name=row.name,
                orgnr=row.orgnr,
                legal_form_id=legal_forms[row.legal_form_code],
                municipality_id=municipalities[placement.municipality_code],
                name_key=collation.sort_key(row.name),
                search_document=search_document(row.name, "", row.orgnr),
                status=status,
                status_date=row.status_date or (on if status != ACTIVE else None),
                status_source=label,
                registered_on=row.registered_on,
                registered_source=label if row.registered_on else "",
                # A deregistered organisation is counted in the statistics but not listed in the directory.
                is_public=status != DEREGISTERED,
            )
        )
        if status != ACTIVE:
            result.status_changes[status] += 1
    result.created += len(creates)
    result.updated += len(updates)
    if creates:
        created = Organisation.objects.bulk_create(creates, batch_size=CHUNK)
        audit_log_bulk(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            model=Organisation,
            entries=[(org.pk, org.name, {"status": [None, org.status]}) for org in created],
            note=label,
        )
    if updates:
        by_change: dict[tuple, list[int]] = {}
        for known, change in updates:
            by_change.setdefault(tuple(sorted(change.items())), []).append(known["id"])
        now = timezone.now()
        for key, ids in by_change.items():
            Organisation.objects.filter(pk__in=ids).update(**dict(key), updated_at=now)
        audit_log_bulk(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            model=Organisation,
            entries=[
                (
                    known["id"],
                    known["name"],
                    {name: [str(known.get(name) or ""), str(value)] for name, value in change.items()},
                )
                for known, change in updates
            ],
            note=label,
        )
