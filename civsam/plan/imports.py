"""Import of initiatives and of indicator values from CSV or XLSX.

Every layout Civsam writes can be read back: the machine CSV and the XLSX (column keys as header),
and the "CSV för Excel" (ADR 0091: semicolon, BOM, the columns' Swedish labels as header, decimal
comma, Ja/Nej, times as 2026-12-06 14:30). A header cell is matched by key or by label, whatever
its case; numbers may have a decimal comma and spaces between thousands (ADR 0105).

Idempotent: an initiative is recognised by its reference (`ref`), an indicator value by indicator
and year; importing the same file twice changes nothing the second time. All or nothing: every
row is checked, and if any row has an error, nothing is written and every error is reported with
its line number. A downloaded export can be imported as it is: its read-only columns (id, url,
verified; name, unit, target, status) are accepted and ignored.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civsam.core.exports import Column, strip_formula_guard
from civsam.core.models import Municipality, Principle, SocietalRole
from civsam.core.tabular import ImportFileError, read_table
from civsam.registry.models import Organisation

from . import extensions, permissions, services
from .exports import FRAME_COLUMNS, INDICATOR_VALUE_COLUMNS, INITIATIVE_COLUMNS
from .models import Indicator, Initiative, InitiativeStatus, PriorityArea


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Columns of earlier exports, accepted and ignored so that an old download can still be imported:
# event_ids (an initiative's meetings are now linked from the meeting, by the meetings app).
RETIRED_INITIATIVE_COLUMNS = ("event_ids",)


class _RowError(Exception):
    pass


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _header_names(columns: list[Column]) -> dict[str, str]:
    """Every way a header cell may name a column (its key, its label in Swedish or as translated)."""
    names: dict[str, str] = {}
    for column in columns:
        for name in (str(column.label), column.key):
            names[_fold(name)] = column.key
    return names


def _rows(
    file_name: str,
    data: bytes,
    columns: list[Column],
    required: set[str],
    retired: tuple[str, ...] = (),
    ignored: tuple[Column, ...] = (),
):
    """The file's rows as {key: cell}; `retired` keys and `ignored` columns (by key or label, as
    the "CSV för Excel" writes them) are accepted in the header and not read."""
    expected = [c.key for c in columns]
    labels = {c.key: str(c.label) for c in columns}
    names = {**_header_names(list(ignored)), **_header_names(columns)}
    retired = retired + tuple(c.key for c in ignored)
    try:
        rows, _warnings = read_table(file_name, data, max_bytes=settings.IMPORT_MAX_BYTES)
        rows = list(rows)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    if not rows:
        raise ValidationError(_("Filen har ingen rubrikrad."))
    written = [strip_formula_guard(cell).strip() for cell in rows[0][1]]
    header = [names.get(_fold(cell), _fold(cell)) for cell in written]
    seen_keys = [key for key in header if key]
    doubled = sorted({labels.get(key, key) for key in seen_keys if seen_keys.count(key) > 1})
    if doubled:
        raise ValidationError(_("Kolumnen finns flera gånger: %(names)s.") % {"names": ", ".join(doubled)})
    missing = [f"{labels[key]} ({key})" for key in expected if key in required and key not in header]
    if missing:
        raise ValidationError(_("Kolumner saknas: %(names)s.") % {"names": ", ".join(missing)})
    unknown = [
        cell for cell, key in zip(written, header, strict=True) if key and key not in expected and key not in retired
    ]
    if unknown:
        raise ValidationError(
            _("Okända kolumner: %(names)s. Tillåtna är %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(f"{labels[k]} ({k})" for k in expected)}
        )
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        # strip_formula_guard: the apostrophe a CSV export puts before = + - @ (an export can be imported again).
        yield (
            line,
            {
                name: (strip_formula_guard(cells[i]).strip() if i < len(cells) else "")
                for i, name in enumerate(header)
                if name
            },
        )


def _decimal(raw: str, what: str) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(_NUMBER_SPACES.sub("", raw).replace(",", ".").replace("\u2212", "-"))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _RowError(_("%(what)s ”%(raw)s” är inte ett tal.") % {"what": what, "raw": raw})
    return value


_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")  # "3 000" with a space, a no-break or a narrow no-break space


def _date(raw: str, what: str) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise _RowError(_("%(what)s ”%(raw)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"what": what, "raw": raw}) from None


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(",", ";").split(";") if part.strip()]


class _Lookups:
    def __init__(self):
        self.statuses = {s.code: s for s in InitiativeStatus.objects.all()}
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.principles = {p.code: p for p in Principle.objects.all()}
        self.roles = {r.code: r for r in SocietalRole.objects.all()}
        self.areas = {
            f"{pa.focus_area.plan.slug}:{pa.code}": pa for pa in PriorityArea.objects.select_related("focus_area__plan")
        }
        self.orgs: dict[str, Organisation] = {}

    def org(self, orgnr: str) -> Organisation:
        key = orgnr.replace("-", "").strip()
        if key not in self.orgs:
            found = Organisation.objects.filter(orgnr=key).first()
            if found is None:
                raise _RowError(_("Det finns ingen organisation med organisationsnummer %(orgnr)s.") % {"orgnr": orgnr})
            self.orgs[key] = found
        return self.orgs[key]

    def many(self, table: dict, raw: str, what: str) -> list:
        result = []
        for code in _split(raw):
            if code not in table:
                raise _RowError(_("Okänd kod för %(what)s: ”%(code)s”.") % {"what": what, "code": code})
            result.append(table[code])
        return result


def _initiative_fields(row: dict[str, str], lookups: _Lookups, refs: dict[str, Initiative]) -> dict:
    if not row.get("ref"):
        raise _RowError(_("Referens (ref) saknas; den behövs för att importen ska kunna upprepas."))
    status = lookups.statuses.get(row.get("status", ""))
    if status is None:
        raise _RowError(
            _("Okänd status ”%(code)s”; tillåtna är %(codes)s.")
            % {"code": row.get("status", ""), "codes": ", ".join(lookups.statuses)}
        )
    start = _date(row.get("start_date", ""), _("Startdatum"))
    if start is None:
        raise _RowError(_("Startdatum saknas."))
    progress = row.get("progress", "")
    if progress and not progress.isdigit():
        raise _RowError(_("Andel genomförd ”%(raw)s” ska vara ett heltal 0–100.") % {"raw": progress})
    municipality = None
    if row.get("lead_municipality"):
        municipality = lookups.municipalities.get(row["lead_municipality"])
        if municipality is None:
            raise _RowError(_("Okänd kommunkod ”%(code)s”.") % {"code": row["lead_municipality"]})
    parent = None
    if row.get("parent_ref"):
        parent = refs.get(row["parent_ref"]) or Initiative.objects.filter(ref=row["parent_ref"]).first()
        if parent is None:
            raise _RowError(_("Det finns ingen insats med referensen ”%(ref)s”.") % {"ref": row["parent_ref"]})
    weight = _decimal(row.get("weight", ""), _("Vikt"))
    fields = {
        "ref": row["ref"],
        "title": row.get("title", ""),
        "description": row.get("description", ""),
        "lead_organisation": lookups.org(row["lead_orgnr"]) if row.get("lead_orgnr") else None,
        "lead_municipality": municipality,
        "lead_name": row.get("lead_name", ""),
        "partner_organisations": [lookups.org(o) for o in _split(row.get("partner_orgnrs", ""))],
        "partner_names": row.get("partner_names", ""),
        "priority_areas": lookups.many(lookups.areas, row.get("priority_areas", ""), _("aktivitetsområde")),
        "principles": lookups.many(lookups.principles, row.get("principles", ""), _("princip")),
        "roles": lookups.many(lookups.roles, row.get("roles", ""), _("roll")),
        "municipalities": lookups.many(lookups.municipalities, row.get("municipalities", ""), _("kommun")),
        "start_date": start,
        "end_date": _date(row.get("end_date", ""), _("Slutdatum")),
        "budget": _decimal(row.get("budget", ""), _("Budget")),
        "status": status,
        "progress": int(progress) if progress else None,
        "weight": weight if weight is not None else Decimal(1),
        "parent": parent,
    }
    return fields


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def initiatives_import(*, actor, file_name: str, data: bytes) -> ImportResult:
    if actor is not None and not permissions.can_import_initiatives(actor):
        raise PermissionDenied(_("Du får inte importera insatser."))
    result = ImportResult()
    rows = list(
        _rows(
            file_name,
            data,
            INITIATIVE_COLUMNS,
            {"ref", "title", "status", "start_date", "priority_areas"},
            RETIRED_INITIATIVE_COLUMNS,
            # Columns other apps add to the export (civsam.plan.extensions) are read by no one here.
            (*FRAME_COLUMNS, *(extra.column for extra in extensions.export_columns())),
        )
    )
    lookups = _Lookups()
    refs: dict[str, Initiative] = {}
    seen: set[str] = set()
    with transaction.atomic():
        for line, row in rows:
            try:
                if row.get("ref") in seen:
                    raise _RowError(_("Referensen ”%(ref)s” finns på flera rader.") % {"ref": row["ref"]})
                seen.add(row.get("ref", ""))
                fields = _initiative_fields(row, lookups, refs)
                existing = Initiative.objects.filter(ref=fields["ref"]).first()
                with transaction.atomic():
                    if existing is None:
                        refs[fields["ref"]] = services.initiative_create(actor=actor, **fields)
                        result.created += 1
                    else:
                        if fields["progress"] is None:
                            fields["progress"] = (
                                existing.progress if fields["status"].pk == existing.status_id else None
                            )
                        updated = services.initiative_update(actor=actor, initiative=existing, **fields)
                        refs[fields["ref"]] = updated
                        changed = bool(updated.changes)
                        result.updated += int(changed)
                        result.unchanged += int(not changed)
            except (_RowError, ValidationError, PermissionDenied) as exc:
                result.errors.append((line, _message(exc)))
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result


def indicator_values_import(*, actor, file_name: str, data: bytes) -> ImportResult:
    if actor is not None and not permissions.can_manage_indicators(actor):
        raise PermissionDenied(_("Bara regionens samordnare kan ändra indikatorerna."))
    result = ImportResult()
    rows = list(_rows(file_name, data, INDICATOR_VALUE_COLUMNS, {"indicator", "year", "value"}))
    indicators = {i.code: i for i in Indicator.objects.all()}
    seen: set[tuple[str, str]] = set()
    with transaction.atomic():
        for line, row in rows:
            try:
                key = (row["indicator"], row["year"])
                if key in seen:
                    raise _RowError(_("Indikator och år finns på flera rader."))
                seen.add(key)
                indicator = indicators.get(row["indicator"])
                if indicator is None:
                    raise _RowError(_("Okänd indikator ”%(code)s”.") % {"code": row["indicator"]})
                if not row["year"].isdigit():
                    raise _RowError(_("Året ”%(raw)s” ska vara ett heltal.") % {"raw": row["year"]})
                value = _decimal(row["value"], pgettext("indicator value", "Utfall"))
                if value is None:
                    raise _RowError(_("Utfall saknas."))
                existed = indicator.values.filter(year=int(row["year"])).exists()
                with transaction.atomic():
                    _value, changed = services.indicator_value_set(
                        actor=actor,
                        indicator=indicator,
                        year=int(row["year"]),
                        value=value,
                        source=row.get("source", ""),
                        comment=row.get("comment", ""),
                    )
                if not changed:
                    result.unchanged += 1
                elif existed:
                    result.updated += 1
                else:
                    result.created += 1
            except (_RowError, ValidationError, PermissionDenied) as exc:
                result.errors.append((line, _message(exc)))
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result
