"""Writes to the grant register: one decision at a time, or a funder's whole decision list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.batching import batches
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff
from civsam.core.tabular import ImportFileError, read_table
from civsam.registry import search
from civsam.registry.models import Organisation

from .. import grant_import, permissions
from ..models import Funder, FundingSource, GrantDecision, GrantImportRun
from .grant_years import covered_years_write

BLOCK = 2000
# What a decision's history records and an import compares.
FIELDS = (
    "source_id",
    "programme",
    "recipient_id",
    "recipient_municipality_id",
    "recipient_legal_form_id",
    "grant_form",
    "amount_applied",
    "amount_granted",
    "amount_paid",
    "year_from",
    "year_to",
    "decision_date",
    "purpose",
)


def search_document_for(*, recipient_name: str, purpose: str, programme: str, case_number: str) -> str:
    return search.document(recipient_name, programme, purpose, case_number)


@dataclass(frozen=True)
class GrantDecisionData:
    funder: Funder
    recipient: Organisation
    case_number: str
    amount_granted: Decimal
    year_from: int
    year_to: int
    decision_date: datetime.date
    source: FundingSource | None = None
    programme: str = ""
    grant_form: str = "project"
    amount_applied: Decimal | None = None
    amount_paid: Decimal | None = None
    purpose: str = ""
    is_demo: bool = False


def _state(decision: GrantDecision) -> dict[str, Any]:
    return {name: getattr(decision, name) for name in FIELDS}


def _apply(decision: GrantDecision, data: GrantDecisionData) -> None:
    decision.funder = data.funder
    decision.case_number = data.case_number
    decision.source = data.source
    decision.programme = data.programme or (data.source.name if data.source else "")
    decision.recipient = data.recipient
    decision.recipient_municipality_id = data.recipient.municipality_id
    decision.recipient_legal_form_id = data.recipient.legal_form_id
    decision.grant_form = data.grant_form
    decision.amount_applied, decision.amount_granted, decision.amount_paid = (
        data.amount_applied,
        data.amount_granted,
        data.amount_paid,
    )
    decision.year_from, decision.year_to = data.year_from, data.year_to
    decision.decision_date = data.decision_date
    decision.purpose = data.purpose
    decision.is_demo = data.is_demo
    decision.search_document = search_document_for(
        recipient_name=data.recipient.name,
        purpose=decision.purpose,
        programme=decision.programme,
        case_number=decision.case_number,
    )
    decision.full_clean(exclude=["search_document"])


@transaction.atomic
def grant_decision_create(*, actor=None, data: GrantDecisionData) -> GrantDecision:
    if actor is not None and not permissions.can_manage_funder(actor, data.funder):
        raise PermissionDenied
    decision = GrantDecision()
    _apply(decision, data)
    decision.save()
    covered_years_write([decision.pk])
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=decision, changes=model_diff({}, _state(decision)))
    return decision


@transaction.atomic
def grant_decision_update(*, actor=None, decision: GrantDecision, data: GrantDecisionData) -> GrantDecision:
    if actor is not None and not (
        permissions.can_edit_grant_decision(actor, decision) and permissions.can_manage_funder(actor, data.funder)
    ):
        raise PermissionDenied
    decision = GrantDecision.objects.select_for_update().get(pk=decision.pk)
    before = _state(decision)
    _apply(decision, data)
    decision.save()
    covered_years_write([decision.pk])
    changes = model_diff(before, _state(decision))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=decision, changes=changes)
    return decision


# --- Import of a decision list ------------------------------------------------------------------


@dataclass
class Unmatched:
    line: int
    orgnr: str
    name: str
    case_number: str


@dataclass
class ImportSummary:
    """What an import did, or (dry run) would do."""

    applied: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    errors: list[grant_import.RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    run: GrantImportRun | None = None

    MAX_ERRORS = 500  # beyond this the file is wrong throughout; more lines would not help

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Leaves the import's transaction without writing (a dry run, or rows with errors)."""


def grant_decisions_import(
    *, actor, funder: Funder, file_name: str, data: bytes, apply: bool, max_bytes: int | None = None
) -> ImportSummary:
    """Upsert a funder's decisions from a CSV or XLSX file, matched on (funder, case number).

    All or nothing: a file with any row in error writes nothing, and a dry run (apply False) goes
    through the same steps and rolls back, so its summary is what applying would do. Recipients
    are matched on organisationsnummer; rows whose recipient is not in the register are skipped
    and listed. Raises ImportFileError when the file as a whole cannot be read."""
    if actor is not None and not permissions.can_import_grant_decisions(actor, funder):
        raise PermissionDenied
    rows, warnings = read_table(file_name, data, max_bytes=max_bytes or settings.IMPORT_MAX_BYTES)
    summary = ImportSummary(warnings=list(warnings))
    first = next(rows, None)
    if first is None:
        raise ImportFileError(_("Filen är tom."))
    header = grant_import.parse_header(first[1])
    sources = {s.slug: s for s in FundingSource.objects.filter(funder=funder)}
    sources_by_name = {s.name.casefold(): s for s in sources.values()}
    seen: set[str] = set()
    try:
        with transaction.atomic():
            for block in batches((row for row in rows if any(cell.strip() for cell in row[1])), BLOCK):
                parsed = _parse_block(block, header, seen, summary)
                if summary.errors:
                    if len(summary.errors) >= ImportSummary.MAX_ERRORS:
                        break
                    continue  # keep checking the rest of the file, but write nothing more
                _write_block(
                    parsed, funder=funder, actor=actor, sources=sources, by_name=sources_by_name, summary=summary
                )
            if summary.errors or not apply:
                raise _Rollback
            summary.run = GrantImportRun.objects.create(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                funder=funder,
                filename=file_name[:255],
                created=summary.created,
                updated=summary.updated,
                unchanged=summary.unchanged,
                unmatched=len(summary.unmatched),
            )
            audit_log(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=summary.run,
                changes={"created": summary.created, "updated": summary.updated, "unmatched": len(summary.unmatched)},
                note=file_name,
            )
            summary.applied = True
    except _Rollback:
        pass
    return summary


def _parse_block(
    block: list[tuple[int, list[str]]], header: dict[str, int], seen: set[str], summary: ImportSummary
) -> list[grant_import.ParsedRow]:
    parsed = []
    for line, cells in block:
        summary.rows += 1
        result = grant_import.parse_row(line, cells, header)
        if isinstance(result, list):
            summary.errors.extend(result)
            continue
        if result.case_number in seen:
            summary.errors.append(
                grant_import.RowError(
                    line,
                    _("Rad %(line)s: diarienumret %(case)s finns redan tidigare i filen.")
                    % {"line": line, "case": result.case_number},
                )
            )
            continue
        seen.add(result.case_number)
        parsed.append(result)
    return parsed


def _write_block(
    parsed: list[grant_import.ParsedRow],
    *,
    funder: Funder,
    actor,
    sources: dict[str, FundingSource],
    by_name: dict[str, FundingSource],
    summary: ImportSummary,
) -> None:
    recipients = {
        o.orgnr: o
        for o in Organisation.objects.filter(orgnr__in={row.orgnr for row in parsed}).only(
            "pk", "orgnr", "name", "municipality_id", "legal_form_id"
        )
    }
    existing = {
        d.case_number: d
        for d in GrantDecision.objects.filter(funder=funder, case_number__in=[row.case_number for row in parsed])
    }
    # New decisions stay plain values (case number, {field: value}, search text) up to the
    # INSERT: building a model instance for each costs more than writing it.
    new: list[tuple[str, dict[str, Any], str]] = []
    changed: list[tuple[GrantDecision, dict]] = []
    for row in parsed:
        recipient = recipients.get(row.orgnr)
        if recipient is None:
            summary.unmatched.append(Unmatched(row.line, row.orgnr, row.recipient_name, row.case_number))
            continue
        source = sources.get(row.source) or by_name.get(row.programme.casefold())
        programme = row.programme or (source.name if source else "")
        values = {
            "source_id": source.pk if source else None,
            "programme": programme,
            "recipient_id": recipient.pk,
            "recipient_municipality_id": recipient.municipality_id,
            "recipient_legal_form_id": recipient.legal_form_id,
            "grant_form": row.grant_form,
            "amount_applied": row.amount_applied,
            "amount_granted": row.amount_granted,
            "amount_paid": row.amount_paid,
            "year_from": row.year_from,
            "year_to": row.year_to,
            "decision_date": row.decision_date,
            "purpose": row.purpose,
        }
        document = search_document_for(
            recipient_name=recipient.name, purpose=row.purpose, programme=programme, case_number=row.case_number
        )
        decision = existing.get(row.case_number)
        if decision is None:
            new.append((row.case_number, values, document))
            continue
        before = _state(decision)
        for name, value in values.items():
            setattr(decision, name, value)
        decision.search_document = document
        changes = model_diff(before, _state(decision))
        if changes:
            changed.append((decision, changes))
        else:
            summary.unchanged += 1
    created = _insert(new, funder=funder)
    if changed:
        GrantDecision.objects.bulk_update(
            [d for d, _changes in changed],
            [name.removesuffix("_id") if name.endswith("_id") else name for name in FIELDS] + ["search_document"],
            batch_size=500,
        )
    covered_years_write([pk for pk, _label, _changes in created] + [d.pk for d, _changes in changed])
    summary.created += len(new)
    summary.updated += len(changed)
    _history(actor, created, [(d.pk, str(d), c) for d, c in changed])


# The columns a new decision is written with, as one executemany: the ORM's bulk_create spends
# most of an import preparing values field by field (docs/performance.md, Funding).
INSERT_COLUMNS = ("funder_id", "case_number", *FIELDS, "search_document", "is_demo", "created_at", "updated_at")


def _plain(value: Any) -> Any:
    """A value as the audit log's diff writes it (core.services.model_diff)."""
    return value if value is None or isinstance(value, (int, str)) else str(value)


def _insert(new: list[tuple[str, dict[str, Any], str]], *, funder: Funder) -> list[tuple[int, str, dict]]:
    """Insert new decisions with one executemany and read their ids back by case number.
    Returns their audit entries (pk, repr, changes)."""
    if not new:
        return []
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for case_number, values, document in new:
        row = [funder.pk, case_number]
        for name in FIELDS:
            value = values[name]
            if name.startswith("amount_") and value is not None:
                value = ops.adapt_decimalfield_value(value, 14, 2)
            elif name == "decision_date":
                value = ops.adapt_datefield_value(value)
            row.append(value)
        rows.append((*row, document, False, now, now))
    table = ops.quote_name(GrantDecision._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - constant names
    ids = dict(
        GrantDecision.objects.filter(funder=funder, case_number__in=[case for case, _v, _d in new]).values_list(
            "case_number", "pk"
        )
    )
    return [
        (
            ids[case_number],
            f"{case_number} – {values['recipient_id']}",
            {name: [None, _plain(value)] for name, value in sorted(values.items()) if value is not None},
        )
        for case_number, values, _document in new
    ]


def _history(actor, created: list[tuple[int, str, dict]], changed: list[tuple[int, str, dict]]) -> None:
    """One audit entry per new or changed decision, written with one executemany (the rows
    core.services.audit_log_bulk writes, without building a model instance for each)."""
    ops = connection.ops
    content_type = ContentType.objects.get_for_model(GrantDecision).pk
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    at = ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (at, actor_id, action, content_type, str(pk), label[:300], ops.adapt_json_value(changes, None), "")
        for action, entries in ((AuditEntry.Action.IMPORT, created), (AuditEntry.Action.UPDATE, changed))
        for pk, label, changes in entries
    ]
    if not rows:
        return
    table = ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(
        ops.quote_name(c)
        for c in ("at", "actor_id", "action", "content_type_id", "object_id", "object_repr", "changes", "note")
    )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 8)})", rows)  # noqa: S608
