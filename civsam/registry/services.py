"""Every write to the register: atomic, permission-checked when given a user, audit-logged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civsam.core import collation
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, audit_log_bulk, model_diff

from . import duplicates, orgnr, permissions, search
from .models import ContactPerson, DuplicateCandidate, Organisation

SIMPLE_FIELDS = (
    "name",
    "orgnr",
    "legal_form",
    "municipality",
    "website",
    "email",
    "description",
    "founded_year",
    "member_count",
    "is_public",
)
FLAG_FIELDS = (
    "social_enterprise",
    "social_enterprise_source",
    "social_enterprise_verified_on",
    "work_integrating",
    "work_integrating_source",
    "work_integrating_verified_on",
    "ideburen_registered",
    "ideburen_source",
    "ideburen_verified_on",
)
M2M_FIELDS = ("active_municipalities", "activity_classes", "roles")
EDITABLE_FIELDS = SIMPLE_FIELDS + FLAG_FIELDS + M2M_FIELDS


def search_document_for(*, name: str, description: str = "", orgnr_value: str = "") -> str:
    return search.document(name, description, orgnr_value)


def organisation_snapshot(organisation: Organisation) -> dict[str, Any]:
    """The editable state of an organisation, for diffs in the change history."""
    data: dict[str, Any] = {field: getattr(organisation, field) for field in SIMPLE_FIELDS + FLAG_FIELDS}
    if organisation.pk:
        data["active_municipalities"] = [m.code for m in organisation.active_municipalities.all()]
        data["activity_classes"] = [a.code for a in organisation.activity_classes.all()]
        data["roles"] = [r.code for r in organisation.roles.all()]
    return data


def _apply(organisation: Organisation, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown organisation fields: {sorted(unknown)}")
    m2m = {key: fields.pop(key) for key in M2M_FIELDS if key in fields}
    if "orgnr" in fields:
        try:
            fields["orgnr"] = orgnr.normalise(fields["orgnr"])
        except orgnr.OrgnrError as exc:
            raise ValidationError({"orgnr": str(exc)}) from exc
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.search_document = search_document_for(
        name=organisation.name, description=organisation.description, orgnr_value=organisation.orgnr
    )
    organisation.name_key = collation.sort_key(organisation.name)
    return m2m


def _save_validated(organisation: Organisation) -> None:
    organisation.full_clean(exclude=["search_document", "name_key"])
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        # Two people saving the same orgnr at once: the database constraint decides.
        raise ValidationError({"orgnr": "Det finns redan en organisation med detta organisationsnummer."}) from exc


@transaction.atomic
def organisation_create(*, actor=None, **fields: Any) -> Organisation:
    if actor is not None:
        municipality = fields.get("municipality")
        if not permissions.can_create(actor, getattr(municipality, "pk", None)):
            raise PermissionDenied("Du får inte registrera organisationer i den kommunen.")
        if not permissions.can_change_flags(actor, Organisation(municipality=municipality)):
            for key in FLAG_FIELDS:
                fields.pop(key, None)
    organisation = Organisation()
    m2m = _apply(organisation, dict(fields))
    _save_validated(organisation)
    for key, values in m2m.items():
        getattr(organisation, key).set(values)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=organisation,
        # Empty fields are left out, so that the history shows what was filled in, not "– → –".
        changes=model_diff(
            {}, {k: v for k, v in organisation_snapshot(organisation).items() if v not in (None, "", [])}
        ),
    )
    duplicates_detect(organisation_ids={organisation.pk}, municipality_ids={organisation.municipality_id})
    return organisation


@transaction.atomic
def organisation_update(*, actor=None, organisation: Organisation, **fields: Any) -> Organisation:
    # Lock the row so two editors do not both read the same "before" state.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor is not None:
        if not permissions.can_change(actor, organisation):
            raise PermissionDenied("Du får inte ändra den här organisationen.")
        if not permissions.can_change_flags(actor, organisation):
            flags = {key: fields.pop(key) for key in FLAG_FIELDS if key in fields}
            if model_diff({key: getattr(organisation, key) for key in flags}, flags):
                raise PermissionDenied(
                    "Du får inte ändra uppgifterna om socialt företag, arbetsintegrerande socialt företag "
                    "eller registrerad idéburen organisation. Kontakta kommunen eller regionen."
                )
        # Only a move to another municipality needs the right to register organisations there;
        # a representative saving the form keeps the current one.
        new_municipality = getattr(fields.get("municipality"), "pk", fields.get("municipality"))
        if (
            "municipality" in fields
            and new_municipality != organisation.municipality_id
            and not permissions.can_create(actor, new_municipality)
        ):
            raise PermissionDenied("Du får inte flytta organisationen till den kommunen.")
    before = organisation_snapshot(organisation)
    m2m = _apply(organisation, dict(fields))
    _save_validated(organisation)
    for key, values in m2m.items():
        getattr(organisation, key).set(values)
    changes = model_diff(before, organisation_snapshot(organisation))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=organisation, changes=changes)
        if "name" in changes or "municipality" in changes:
            duplicates_detect(organisation_ids={organisation.pk}, municipality_ids={organisation.municipality_id})
    return organisation


@transaction.atomic
def organisation_delete(*, actor=None, organisation: Organisation) -> None:
    if actor is not None and not permissions.can_delete(actor, organisation):
        raise PermissionDenied("Du får inte ta bort organisationer.")
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=organisation,
        changes=model_diff(organisation_snapshot(organisation), {}),
    )
    organisation.delete()


# Contact persons -------------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "role", "email", "phone")


@transaction.atomic
def contact_create(*, actor=None, organisation: Organisation, **fields: Any) -> ContactPerson:
    if actor is not None and not permissions.can_change(actor, organisation):
        raise PermissionDenied("Du får inte ändra kontaktpersoner för den här organisationen.")
    contact = ContactPerson(organisation=organisation, **{k: v for k, v in fields.items() if k in CONTACT_FIELDS})
    contact.full_clean()
    contact.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=contact,
        changes=model_diff({}, {k: getattr(contact, k) for k in CONTACT_FIELDS}),
        note=f"organisation {organisation.orgnr}",
    )
    return contact


@transaction.atomic
def contact_update(*, actor=None, contact: ContactPerson, **fields: Any) -> ContactPerson:
    if actor is not None and not permissions.can_change(actor, contact.organisation):
        raise PermissionDenied("Du får inte ändra kontaktpersoner för den här organisationen.")
    before = {k: getattr(contact, k) for k in CONTACT_FIELDS}
    for key, value in fields.items():
        if key in CONTACT_FIELDS:
            setattr(contact, key, value)
    contact.full_clean()
    contact.save()
    changes = model_diff(before, {k: getattr(contact, k) for k in CONTACT_FIELDS})
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=contact, changes=changes)
    return contact


@transaction.atomic
def contact_delete(*, actor=None, contact: ContactPerson) -> None:
    if actor is not None and not permissions.can_change(actor, contact.organisation):
        raise PermissionDenied("Du får inte ta bort kontaktpersoner för den här organisationen.")
    audit_log(
        actor=actor, action=AuditEntry.Action.DELETE, obj=contact, note=f"organisation {contact.organisation.orgnr}"
    )
    contact.delete()


def contacts_read(*, actor, organisation: Organisation) -> list[ContactPerson]:
    """The contact persons of an organisation. Reading personal data is itself logged."""
    if not permissions.can_view_contacts(actor, organisation):
        raise PermissionDenied("Du får inte se kontaktpersoner för den här organisationen.")
    contacts = list(organisation.contacts.all())
    if contacts:
        audit_log_bulk(
            actor=actor,
            action=AuditEntry.Action.READ,
            model=ContactPerson,
            entries=[(c.pk, c.name, {}) for c in contacts],
            note=f"organisation {organisation.orgnr}",
        )
    return contacts


# Duplicates ------------------------------------------------------------------------------------


def duplicates_detect(
    *, organisation_ids: Iterable[int] | None = None, municipality_ids: Iterable[int] | None = None
) -> int:
    """Flag pairs of similar names in the same municipality for review; returns new pairs flagged.

    With organisation_ids, only pairs involving those organisations are considered.
    """
    qs = Organisation.objects.all()
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=list(municipality_ids))
    only = set(organisation_ids) if organisation_ids is not None else None
    by_municipality: dict[int, list[tuple[int, str]]] = {}
    for pk, name, municipality_id in qs.values_list("id", "name", "municipality_id").iterator(chunk_size=5000):
        by_municipality.setdefault(municipality_id, []).append((pk, name))
    candidates = []
    for items in by_municipality.values():
        for low, high, score in duplicates.similar_pairs(items, only_ids=only):
            candidates.append(DuplicateCandidate(first_id=low, second_id=high, similarity=score))
    created = DuplicateCandidate.objects.bulk_create(candidates, batch_size=2000, ignore_conflicts=True)
    return len(created) if candidates else 0


@transaction.atomic
def duplicate_resolve(*, actor, candidate: DuplicateCandidate, status: str) -> DuplicateCandidate:
    if not permissions.can_resolve_duplicate(actor, candidate):
        raise PermissionDenied("Du får inte granska dubbletter i den här kommunen.")
    if status not in (DuplicateCandidate.Status.DISTINCT, DuplicateCandidate.Status.CONFIRMED):
        raise ValidationError("Ogiltigt beslut.")
    before = candidate.status
    candidate.status = status
    candidate.reviewed_by = actor
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=candidate,
        changes={"status": [before, status]},
        note=f"{candidate.first_id} ~ {candidate.second_id}",
    )
    return candidate
