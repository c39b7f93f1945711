"""Writes of contact persons, and the logged reads of them (personal data)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, audit_log_bulk, model_diff

from .. import permissions
from ..models import ContactPerson, Organisation
from .organisations import UNCHANGED, Unchanged

CONTACT_FIELDS = ("name", "role", "email", "phone")


@transaction.atomic
def contact_create(
    *, actor=None, organisation: Organisation, name: str, role: str = "", email: str = "", phone: str = ""
) -> ContactPerson:
    if actor is not None and not permissions.can_change_organisation(actor, organisation):
        raise PermissionDenied(_("Du får inte ändra kontaktpersoner för den här organisationen."))
    contact = ContactPerson(organisation=organisation, name=name, role=role, email=email, phone=phone)
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
    if actor is not None and not permissions.can_change_contact(actor, contact):
        raise PermissionDenied(_("Du får inte ändra kontaktpersoner för den här organisationen."))
    before = {k: getattr(contact, k) for k in CONTACT_FIELDS}
    for key, value in (("name", name), ("role", role), ("email", email), ("phone", phone)):
        if value is not UNCHANGED:
            setattr(contact, key, value)
    contact.full_clean()
    contact.save()
    changes = model_diff(before, {k: getattr(contact, k) for k in CONTACT_FIELDS})
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=contact, changes=changes)
    return contact


@transaction.atomic
def contact_delete(*, actor=None, contact: ContactPerson) -> None:
    if actor is not None and not permissions.can_change_contact(actor, contact):
        raise PermissionDenied(_("Du får inte ta bort kontaktpersoner för den här organisationen."))
    audit_log(
        actor=actor, action=AuditEntry.Action.DELETE, obj=contact, note=f"organisation {contact.organisation.orgnr}"
    )
    contact.delete()


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
