"""Writes of contact persons, and the logged reads of them (personal data).

Their audit entries hold names and values while the person is in the register; when the contact
goes (removed, its organisation removed, or past its retention period) the entries are emptied of
them and only the fact of each entry stays (core.privacy, ADR 0085)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civsam.core.models import AuditEntry
from civsam.core.privacy import RetentionPass, audit_entries_deidentify
from civsam.core.services import audit_log, audit_log_bulk, model_diff

from .. import permissions, phone
from ..models import ContactPerson, Organisation
from .organisations import UNCHANGED, Unchanged

CONTACT_FIELDS = ("name", "role", "email", "phone")
RETENTION_KIND = "contact_persons"

PHONE_MESSAGES = {
    "characters": gettext_lazy(
        "Telefonnumret får bara innehålla siffror, mellanslag och bindestreck, med + före ett landsnummer."
    ),
    "prefix": gettext_lazy(
        "Skriv numret med riktnummer (till exempel 019-12 34 56) eller med landsnummer (till exempel +46 70 123 45 67)."
    ),
    "swedish": gettext_lazy(
        "Det är inte ett svenskt telefonnummer. Skriv till exempel 019-12 34 56 eller 070-123 45 67."
    ),
    "swedish_length": gettext_lazy(
        "Ett svenskt telefonnummer har 8–10 siffror med riktnumret, till exempel 019-12 34 56 eller 070-123 45 67."
    ),
    "country": gettext_lazy("Landsnumret finns inte. Skriv till exempel +46 för Sverige eller +47 för Norge."),
    "length": gettext_lazy("Ett telefonnummer har 8–15 siffror med landsnumret."),
}


def phone_clean(text: str) -> str:
    """The number as stored (E.164), or a ValidationError in Swedish saying what is wrong."""
    try:
        return phone.normalise(text)
    except phone.PhoneError as exc:
        raise ValidationError(PHONE_MESSAGES[exc.code], code="phone") from exc


def _phone_field(text: str) -> str:
    try:
        return phone_clean(text)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc


@transaction.atomic
def contact_create(
    *, actor=None, organisation: Organisation, name: str, role: str = "", email: str = "", phone: str = ""
) -> ContactPerson:
    if actor is not None and not permissions.can_change_organisation(actor, organisation):
        raise PermissionDenied(_("Du får inte ändra kontaktpersoner för den här organisationen."))
    contact = ContactPerson(organisation=organisation, name=name, role=role, email=email, phone=_phone_field(phone))
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
def contact_update(
    *,
    actor=None,
    contact: ContactPerson,
    name: str | Unchanged = UNCHANGED,
    role: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    phone: str | Unchanged = UNCHANGED,
) -> ContactPerson:
    """Change what is given. A number is checked and stored as E.164; a number kept from before the
    check (phone_needs_correction) stays as it is until a new one is given."""
    if actor is not None and not permissions.can_change_contact(actor, contact):
        raise PermissionDenied(_("Du får inte ändra kontaktpersoner för den här organisationen."))
    before = {k: getattr(contact, k) for k in CONTACT_FIELDS}
    for key, value in (("name", name), ("role", role), ("email", email)):
        if value is not UNCHANGED:
            setattr(contact, key, value)
    if phone is not UNCHANGED:
        normalised = _phone_field(phone)
        if normalised != contact.phone or contact.phone_needs_correction:
            contact.phone = normalised
            contact.phone_needs_correction = False
    contact.full_clean()
    contact.save()
    changes = model_diff(before, {k: getattr(contact, k) for k in CONTACT_FIELDS})
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=contact, changes=changes)
    return contact


@transaction.atomic
def contact_confirm(*, actor=None, contact: ContactPerson) -> ContactPerson:
    """The organisation says the details are still right: the retention period starts again."""
    if actor is not None and not permissions.can_change_contact(actor, contact):
        raise PermissionDenied(_("Du får inte ändra kontaktpersoner för den här organisationen."))
    contact.save(update_fields=["updated_at"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=contact, note="confirmed")
    return contact


@transaction.atomic
def contact_delete(*, actor=None, contact: ContactPerson) -> None:
    """Remove the contact; its audit entries keep that they happened, not whom they were about."""
    if actor is not None and not permissions.can_change_contact(actor, contact):
        raise PermissionDenied(_("Du får inte ta bort kontaktpersoner för den här organisationen."))
    audit_log(
        actor=actor, action=AuditEntry.Action.DELETE, obj=contact, note=f"organisation {contact.organisation.orgnr}"
    )
    pk = contact.pk
    contact.delete()
    audit_entries_deidentify(model=ContactPerson, object_ids=[pk])


def contacts_read(*, actor, organisation: Organisation) -> list[ContactPerson]:
    """The contact persons of an organisation. Reading personal data is itself logged."""
    if not permissions.can_view_contacts(actor, organisation):
        raise PermissionDenied(_("Du får inte se kontaktpersoner för den här organisationen."))
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


def contacts_retention_apply(run: RetentionPass) -> int:
    """Remove the contacts not changed or confirmed within the period, in batches, and empty their
    audit entries (the job's part for "contact_persons")."""
    due = ContactPerson.objects.filter(updated_at__lt=run.cutoff).order_by("pk")
    if run.dry_run:
        return due.count()
    removed = 0
    while batch := list(due.values_list("pk", flat=True)[: run.batch_size]):
        with transaction.atomic():
            ContactPerson.objects.filter(pk__in=batch).delete()
            audit_entries_deidentify(model=ContactPerson, object_ids=batch, batch_size=run.batch_size)
        removed += len(batch)
    return removed
