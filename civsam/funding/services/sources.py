"""Writes to funders and funding sources, and the idempotent load of the reference sources."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from civsam.core.models import ActivityClass, AuditEntry, LegalForm, Municipality
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..models import Funder, FundingSource

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "funding_sources.json"


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Funders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderData:
    name: str
    kind: str
    slug: str
    municipality: Municipality | None = None
    organisation: Any = None  # a registry Organisation
    orgnr: str = ""
    website: str = ""


def _funder_state(funder: Funder) -> dict[str, Any]:
    return {
        "name": funder.name,
        "kind": funder.kind,
        "slug": funder.slug,
        "municipality": funder.municipality_id,
        "organisation": funder.organisation_id,
        "orgnr": funder.orgnr,
        "website": funder.website,
    }


def _apply_funder(funder: Funder, data: FunderData) -> None:
    funder.name, funder.kind, funder.slug = data.name, data.kind, data.slug
    funder.municipality, funder.organisation = data.municipality, data.organisation
    funder.orgnr, funder.website = data.orgnr, data.website
    funder.full_clean(exclude=["reference_key"])


@transaction.atomic
def funder_create(*, actor=None, data: FunderData) -> Funder:
    if actor is not None:
        _check(permissions.can_create_funder(actor))
    funder = Funder()
    _apply_funder(funder, data)
    funder.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=funder, changes=model_diff({}, _funder_state(funder)))
    return funder


@transaction.atomic
def funder_update(*, actor=None, funder: Funder, data: FunderData) -> Funder:
    if actor is not None:
        _check(permissions.can_edit_funder(actor, funder))
    funder = Funder.objects.select_for_update().get(pk=funder.pk)
    before = _funder_state(funder)
    _apply_funder(funder, data)
    funder.save()
    changes = model_diff(before, _funder_state(funder))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=funder, changes=changes)
    return funder


@transaction.atomic
def funders_ensure_public_bodies() -> int:
    """The Region and each of the county's municipalities as funders (idempotent): every
    municipality gives grants, and its officers keep its sources. Returns how many were made."""
    made = 0
    region_name = settings.CIVSAM["REGION_NAME"]
    if not Funder.objects.filter(reference_key="region").exists():
        Funder.objects.create(reference_key="region", slug="region", name=region_name, kind=Funder.Kind.REGION)
        made += 1
    have = set(Funder.objects.filter(municipality__isnull=False).values_list("municipality_id", flat=True))
    for municipality in Municipality.objects.filter(county_code=settings.CIVSAM["COUNTY_CODE"]):
        if municipality.pk in have:
            continue
        Funder.objects.create(
            reference_key=f"kommun-{municipality.code}",
            slug=f"kommun-{municipality.code}",
            name=municipality.body_name,
            kind=Funder.Kind.MUNICIPALITY,
            municipality=municipality,
        )
        made += 1
    return made


# --- Funding sources ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingSourceData:
    funder: Funder
    slug: str
    name: str
    kind: str = FundingSource.Kind.GRANT
    description: str = ""
    sector: str = FundingSource.Sector.ANY
    eligible_legal_forms: tuple[LegalForm, ...] = ()
    eligible_municipalities: tuple[Municipality, ...] = ()
    eligible_activity_classes: tuple[ActivityClass, ...] = ()
    eligibility_note: str = ""
    co_financing_rules: str = ""
    co_financing_min_share: Decimal | None = None
    url: str = ""
    contact_name: str = ""
    contact_email: str = ""
    is_active: bool = True


SCALARS = (
    "slug",
    "name",
    "kind",
    "description",
    "sector",
    "eligibility_note",
    "co_financing_rules",
    "co_financing_min_share",
    "url",
    "contact_name",
    "contact_email",
    "is_active",
)
RELATIONS = {
    "eligible_legal_forms": "code",
    "eligible_municipalities": "code",
    "eligible_activity_classes": "code",
}


def source_state(source: FundingSource) -> dict[str, Any]:
    """A source's editable state as plain values (codes for relations), for diffs and the
    reference marker."""
    state: dict[str, Any] = {name: getattr(source, name) for name in SCALARS}
    state["funder"] = source.funder.slug
    if state["co_financing_min_share"] is not None:
        state["co_financing_min_share"] = str(Decimal(state["co_financing_min_share"]).normalize())
    for name, key in RELATIONS.items():
        state[name] = sorted(getattr(o, key) for o in getattr(source, name).all()) if source.pk else []
    return state


def _apply_source(source: FundingSource, data: FundingSourceData) -> None:
    source.funder = data.funder
    for name in SCALARS:
        setattr(source, name, getattr(data, name))
    source.full_clean(exclude=["reference_key", "reference_values"])
    source.save()
    for name in RELATIONS:
        getattr(source, name).set(getattr(data, name))


@transaction.atomic
def funding_source_create(*, actor=None, data: FundingSourceData) -> FundingSource:
    if actor is not None:
        _check(permissions.can_manage_funder(actor, data.funder))
    source = FundingSource()
    _apply_source(source, data)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=source, changes=model_diff({}, source_state(source)))
    return source


@transaction.atomic
def funding_source_update(*, actor=None, source: FundingSource, data: FundingSourceData) -> FundingSource:
    """Moving a source to another funder needs the right to keep both."""
    if actor is not None:
        _check(permissions.can_edit_funding_source(actor, source) and permissions.can_manage_funder(actor, data.funder))
    source = FundingSource.objects.select_for_update().get(pk=source.pk)
    before = source_state(source)
    _apply_source(source, data)
    changes = model_diff(before, source_state(source))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=source, changes=changes)
    return source


# --- Reference data -----------------------------------------------------------------------------


def _reference_items() -> dict[str, Any]:
    """The reference file, with the per-municipality sources spelt out for each of the county's
    municipalities (key "<key>-<code>", funder "kommun-<code>", eligible in that municipality)."""
    document = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    sources = list(document["sources"])
    for municipality in Municipality.objects.filter(county_code=settings.CIVSAM["COUNTY_CODE"]):
        for template in document.get("per_municipality", []):
            item = dict(template)
            item["key"] = f"{template['key']}-{municipality.code}"
            item["name"] = template["name"] % {"body": municipality.body_name}
            item["funder"] = f"kommun-{municipality.code}"
            item["municipalities"] = [municipality.code]
            sources.append(item)
    return {"funders": document["funders"], "sources": sources}


def _reference_state(item: dict[str, Any]) -> dict[str, Any]:
    """A reference item in the shape of source_state."""
    share = item.get("co_financing_min_share")
    return {
        "slug": item["key"],
        "name": item["name"],
        "kind": item.get("kind", FundingSource.Kind.GRANT),
        "description": item.get("description", ""),
        "sector": item.get("sector", FundingSource.Sector.ANY),
        "eligibility_note": item.get("eligibility_note", ""),
        "co_financing_rules": item.get("co_financing_rules", ""),
        "co_financing_min_share": None if share is None else str(Decimal(str(share)).normalize()),
        "url": item.get("url", ""),
        "contact_name": item.get("contact_name", ""),
        "contact_email": item.get("contact_email", ""),
        "is_active": True,
        "funder": item["funder"],
        "eligible_legal_forms": sorted(item.get("legal_forms", [])),
        "eligible_municipalities": sorted(item.get("municipalities", [])),
        "eligible_activity_classes": sorted(item.get("activity_classes", [])),
    }


def _data_from_state(state: dict[str, Any], funders: dict[str, Funder]) -> FundingSourceData:
    share = state["co_financing_min_share"]
    return FundingSourceData(
        funder=funders[state["funder"]],
        **{name: state[name] for name in SCALARS if name != "co_financing_min_share"},
        co_financing_min_share=None if share is None else Decimal(share),
        eligible_legal_forms=tuple(LegalForm.objects.filter(code__in=state["eligible_legal_forms"])),
        eligible_municipalities=tuple(Municipality.objects.filter(code__in=state["eligible_municipalities"])),
        eligible_activity_classes=tuple(ActivityClass.objects.filter(code__in=state["eligible_activity_classes"])),
    )


@dataclass
class ReferenceLoadResult:
    funders_created: int = 0
    created: int = 0
    updated: int = 0
    kept: list[str] = field(default_factory=list)  # "source: field" that staff had changed
    programmes_created: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@transaction.atomic
def funding_sources_load_reference() -> ReferenceLoadResult:
    """Create the reference funders and sources that are missing and bring the others up to date,
    field by field, only where staff have not changed the field since the last load.

    The last loaded values are kept on the source (reference_values): a field whose value still
    equals them is the reference's and follows the file; any other value is the staff's and is
    never overwritten. Run at every start (idempotent: a second run changes nothing)."""
    document = _reference_items()
    result = ReferenceLoadResult(funders_created=funders_ensure_public_bodies())
    for item in document["funders"]:
        if not Funder.objects.filter(reference_key=item["key"]).exists():
            Funder.objects.create(
                reference_key=item["key"],
                slug=item["key"],
                name=item["name"],
                kind=item["kind"],
                orgnr=item.get("orgnr", ""),
                website=item.get("website", ""),
            )
            result.funders_created += 1
    funders = {f.reference_key: f for f in Funder.objects.exclude(reference_key=None)}
    for item in document["sources"]:
        wanted = _reference_state(item)
        source = FundingSource.objects.filter(reference_key=item["key"]).select_related("funder").first()
        if source is None:
            source = FundingSource(reference_key=item["key"])
            _apply_source(source, _data_from_state(wanted, funders))
            source.reference_values = wanted
            source.save(update_fields=["reference_values"])
            audit_log(
                actor=None,
                action=AuditEntry.Action.CREATE,
                obj=source,
                changes=model_diff({}, wanted),
                note="reference data",
            )
            result.created += 1
            continue
        current = source_state(source)
        last = source.reference_values or {}
        merged = dict(current)
        for name, value in wanted.items():
            if current.get(name) == last.get(name, current.get(name)):
                merged[name] = value
            elif value != last.get(name):
                result.kept.append(f"{source.reference_key}: {name}")
        if merged != current:
            _apply_source(source, _data_from_state(merged, funders))
            audit_log(
                actor=None,
                action=AuditEntry.Action.UPDATE,
                obj=source,
                changes=model_diff(current, merged),
                note="reference data",
            )
            result.updated += 1
        if last != wanted:
            source.reference_values = wanted
            source.save(update_fields=["reference_values"])
    from .programmes import programmes_load_reference

    result.programmes_created = programmes_load_reference()
    return result
