"""Writes of organisations: create, update, delete, with the change history and duplicate checks."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civsam.core import collation
from civsam.core.models import ActivityClass, AuditEntry, LegalForm, Municipality, SocietalRole
from civsam.core.privacy import audit_entries_deidentify
from civsam.core.services import audit_log, model_diff

from .. import permissions, search
from ..models import ContactPerson, Organisation
from ..orgnr import OrgnrError
from ..orgnr import normalise as normalise_orgnr
from .duplicate_review import duplicates_detect

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


class Unchanged(enum.Enum):
    """The default of an update's arguments: the field keeps its stored value."""

    UNCHANGED = enum.auto()


UNCHANGED = Unchanged.UNCHANGED


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


def _apply(organisation: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    """Set the given values on the organisation; returns the many-to-many ones, set after saving."""
    m2m = {key: values.pop(key) for key in M2M_FIELDS if key in values}
    if "orgnr" in values:
        try:
            values["orgnr"] = normalise_orgnr(values["orgnr"])
        except OrgnrError as exc:
            raise ValidationError({"orgnr": str(exc)}) from exc
    for key, value in values.items():
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
        raise ValidationError({"orgnr": _("Det finns redan en organisation med detta organisationsnummer.")}) from exc


@transaction.atomic
def organisation_create(
    *,
    actor=None,
    name: str,
    orgnr: str,
    legal_form: LegalForm,
    municipality: Municipality,
    active_municipalities: Iterable[Municipality] = (),
    activity_classes: Iterable[ActivityClass] = (),
    roles: Iterable[SocietalRole] = (),
    website: str = "",
    email: str = "",
    description: str = "",
    founded_year: int | None = None,
    member_count: int | None = None,
    is_public: bool = True,
    social_enterprise: bool = False,
    social_enterprise_source: str = "",
    social_enterprise_verified_on: datetime.date | None = None,
    work_integrating: bool = False,
    work_integrating_source: str = "",
    work_integrating_verified_on: datetime.date | None = None,
    ideburen_registered: bool = False,
    ideburen_source: str = "",
    ideburen_verified_on: datetime.date | None = None,
) -> Organisation:
    """Register an organisation. An actor who may not set the verified flags gets them unset."""
    values: dict[str, Any] = {
        "name": name,
        "orgnr": orgnr,
        "legal_form": legal_form,
        "municipality": municipality,
        "active_municipalities": active_municipalities,
        "activity_classes": activity_classes,
        "roles": roles,
        "website": website,
        "email": email,
        "description": description,
        "founded_year": founded_year,
        "member_count": member_count,
        "is_public": is_public,
    }
    flags: dict[str, Any] = {
        "social_enterprise": social_enterprise,
        "social_enterprise_source": social_enterprise_source,
        "social_enterprise_verified_on": social_enterprise_verified_on,
        "work_integrating": work_integrating,
        "work_integrating_source": work_integrating_source,
        "work_integrating_verified_on": work_integrating_verified_on,
        "ideburen_registered": ideburen_registered,
        "ideburen_source": ideburen_source,
        "ideburen_verified_on": ideburen_verified_on,
    }
    if actor is not None:
        if not permissions.can_create_organisation(actor, municipality):
            raise PermissionDenied(_("Du får inte registrera organisationer i den kommunen."))
        if not permissions.can_change_organisation_flags(actor, Organisation(municipality=municipality)):
            flags = {}
    organisation = Organisation()
    m2m = _apply(organisation, {**values, **flags})
    _save_validated(organisation)
    for key, related in m2m.items():
        getattr(organisation, key).set(related)
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
def organisation_update(
    *,
    actor=None,
    organisation: Organisation,
    name: str | Unchanged = UNCHANGED,
    orgnr: str | Unchanged = UNCHANGED,
    legal_form: LegalForm | Unchanged = UNCHANGED,
    municipality: Municipality | Unchanged = UNCHANGED,
    active_municipalities: Iterable[Municipality] | Unchanged = UNCHANGED,
    activity_classes: Iterable[ActivityClass] | Unchanged = UNCHANGED,
    roles: Iterable[SocietalRole] | Unchanged = UNCHANGED,
    website: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    founded_year: int | Unchanged | None = UNCHANGED,
    member_count: int | Unchanged | None = UNCHANGED,
    is_public: bool | Unchanged = UNCHANGED,
    social_enterprise: bool | Unchanged = UNCHANGED,
    social_enterprise_source: str | Unchanged = UNCHANGED,
    social_enterprise_verified_on: datetime.date | Unchanged | None = UNCHANGED,
    work_integrating: bool | Unchanged = UNCHANGED,
    work_integrating_source: str | Unchanged = UNCHANGED,
    work_integrating_verified_on: datetime.date | Unchanged | None = UNCHANGED,
    ideburen_registered: bool | Unchanged = UNCHANGED,
    ideburen_source: str | Unchanged = UNCHANGED,
    ideburen_verified_on: datetime.date | Unchanged | None = UNCHANGED,
) -> Organisation:
    """Change the given fields; the others keep their stored values."""
    given: dict[str, Any] = {
        "name": name,
        "orgnr": orgnr,
        "legal_form": legal_form,
        "municipality": municipality,
        "active_municipalities": active_municipalities,
        "activity_classes": activity_classes,
        "roles": roles,
        "website": website,
        "email": email,
        "description": description,
        "founded_year": founded_year,
        "member_count": member_count,
        "is_public": is_public,
        "social_enterprise": social_enterprise,
        "social_enterprise_source": social_enterprise_source,
        "social_enterprise_verified_on": social_enterprise_verified_on,
        "work_integrating": work_integrating,
        "work_integrating_source": work_integrating_source,
        "work_integrating_verified_on": work_integrating_verified_on,
        "ideburen_registered": ideburen_registered,
        "ideburen_source": ideburen_source,
        "ideburen_verified_on": ideburen_verified_on,
    }
    values = {key: value for key, value in given.items() if value is not UNCHANGED}
    # Lock the row so two editors do not both read the same "before" state.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor is not None:
        if not permissions.can_change_organisation(actor, organisation):
            raise PermissionDenied(_("Du får inte ändra den här organisationen."))
        if not permissions.can_change_organisation_flags(actor, organisation):
            flags = {key: values.pop(key) for key in FLAG_FIELDS if key in values}
            if model_diff({key: getattr(organisation, key) for key in flags}, flags):
                raise PermissionDenied(
                    _(
                        "Du får inte ändra uppgifterna om socialt företag, arbetsintegrerande socialt företag "
                        "eller registrerad idéburen organisation. Kontakta kommunen eller regionen."
                    )
                )
        if "municipality" in values and not permissions.can_move_organisation(
            actor, organisation, values["municipality"]
        ):
            raise PermissionDenied(_("Du får inte flytta organisationen till den kommunen."))
    before = organisation_snapshot(organisation)
    m2m = _apply(organisation, values)
    _save_validated(organisation)
    for key, related in m2m.items():
        getattr(organisation, key).set(related)
    changes = model_diff(before, organisation_snapshot(organisation))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=organisation, changes=changes)
        if "name" in changes or "municipality" in changes:
            duplicates_detect(organisation_ids={organisation.pk}, municipality_ids={organisation.municipality_id})
    return organisation


@transaction.atomic
def organisation_delete(*, actor=None, organisation: Organisation) -> None:
    if actor is not None and not permissions.can_delete_organisation(actor, organisation):
        raise PermissionDenied(_("Du får inte ta bort organisationer."))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=organisation,
        changes=model_diff(organisation_snapshot(organisation), {}),
    )
    # Its contact persons go with it, and their audit entries follow them (core.privacy).
    contact_ids = list(organisation.contacts.values_list("pk", flat=True))
    organisation.delete()
    audit_entries_deidentify(model=ContactPerson, object_ids=contact_ids)
