"""Writes to the plan's adopted document (an uploaded PDF, checked by its content, or a link) and
its contact people. The region administrator keeps them, as they keep the plan's decisions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import document_check, permissions
from ..models import Plan, PlanContact, PlanDocument


def _check(actor, plan: Plan) -> None:
    if actor is not None and not permissions.can_manage_plan_document(actor, plan):
        raise PermissionDenied(_("Bara regionens administratör ändrar planens dokument och kontaktpersoner."))


def _replace(plan: Plan) -> PlanDocument | None:
    """The plan's current document, locked, with its stored file removed once this commits."""
    current = PlanDocument.objects.select_for_update().filter(plan=plan).first()
    if current is not None and current.file:
        storage, name = current.file.storage, current.file.name
        transaction.on_commit(lambda: storage.delete(name))
    return current


@transaction.atomic
def plan_document_upload(*, actor, plan: Plan, upload: UploadedFile) -> PlanDocument:
    """Attach the adopted plan as a PDF, in place of an earlier file or link."""
    _check(actor, plan)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    try:
        document_check.check(name, upload, size=upload.size or 0)
    except document_check.DocumentRejected as exc:
        raise ValidationError({"file": str(exc)}) from exc
    current = _replace(plan)
    before = str(current) if current else None
    document = current or PlanDocument(plan=plan)
    document.url = ""
    document.name = name
    document.size = upload.size
    document.file.save(name, upload, save=False)
    document.save()
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=plan, changes={"document": [before, name]})
    return document


@transaction.atomic
def plan_document_link(*, actor, plan: Plan, url: str) -> PlanDocument:
    """Link to the adopted plan where the Region publishes it (https only), in place of a file."""
    _check(actor, plan)
    url = url.strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError as exc:
        raise ValidationError({"url": _("Ange en fullständig adress som börjar med https://.")}) from exc
    current = _replace(plan)
    before = str(current) if current else None
    document = current or PlanDocument(plan=plan)
    document.file = ""
    document.name = ""
    document.size = None
    document.url = url
    document.save()
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=plan, changes={"document": [before, url]})
    return document


@transaction.atomic
def plan_document_remove(*, actor, plan: Plan) -> None:
    _check(actor, plan)
    current = _replace(plan)
    if current is None:
        return
    before = str(current)
    current.delete()
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=plan, changes={"document": [before, None]})


def _contact_errors(name: str, role: str, email: str, phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Skriv kontaktpersonens namn.")]
    if not role:
        errors["role"] = [_("Skriv kontaktpersonens roll, t.ex. utvecklingsledare.")]
    if not email and not phone:
        errors["email"] = [_("Ange e-post eller telefon, så att man kan nå kontaktpersonen.")]
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = [_("Ange en giltig e-postadress.")]
    if phone and (len(phone) > 30 or not all(c.isdigit() or c in " +-()" for c in phone)):
        errors["phone"] = [_("Ange telefonnumret med siffror, t.ex. 019-602 10 00.")]
    return errors


@transaction.atomic
def plan_contact_add(*, actor, plan: Plan, name: str, role: str, email: str = "", phone: str = "") -> PlanContact:
    """Add a contact person for the plan, last in the list."""
    _check(actor, plan)
    name, role, email, phone = name.strip(), role.strip(), email.strip(), phone.strip()
    errors = _contact_errors(name, role, email, phone)
    if errors:
        raise ValidationError(errors)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one writer per plan at a time
    last = PlanContact.objects.filter(plan=plan).aggregate(n=Max("sort_order"))["n"]
    contact = PlanContact.objects.create(
        plan=plan, name=name, role=role, email=email, phone=phone, sort_order=(last + 1) if last is not None else 0
    )
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=contact, changes={"name": [None, name]})
    return contact


@transaction.atomic
def plan_contact_update(
    *, actor, contact: PlanContact, name: str, role: str, email: str = "", phone: str = ""
) -> PlanContact:
    _check(actor, contact.plan)
    name, role, email, phone = name.strip(), role.strip(), email.strip(), phone.strip()
    errors = _contact_errors(name, role, email, phone)
    if errors:
        raise ValidationError(errors)
    contact = PlanContact.objects.select_for_update().get(pk=contact.pk)
    changes = {
        field: [getattr(contact, field), value]
        for field, value in (("name", name), ("role", role), ("email", email), ("phone", phone))
        if getattr(contact, field) != value
    }
    if changes:
        contact.name, contact.role, contact.email, contact.phone = name, role, email, phone
        contact.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=contact, changes=changes)
    return contact


@transaction.atomic
def plan_contact_remove(*, actor, contact: PlanContact) -> None:
    _check(actor, contact.plan)
    audit_log(actor=actor, action=AuditEntry.Action.DELETE, obj=contact, changes={"name": [contact.name, None]})
    contact.delete()
