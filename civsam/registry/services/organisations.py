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
    "kind",
    "sector",
    "country",
    "foreign_registration_number",
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


# Legal forms an actor without one of its own is given (core/data/legal_forms.json, ADR 0096).
INFORMAL_LEGAL_FORM = "IG"
FOREIGN_LEGAL_FORM = "96"
SOLE_TRADER_LEGAL_FORM = "10"


def default_sector(legal_form: LegalForm | None, *, social_enterprise: bool = False) -> str:
    """The sector an organisation gets unless someone chooses another: its legal form's default,
    except that a social enterprise that is not a public body belongs to the social economy."""
    sector = legal_form.default_sector if legal_form is not None else Organisation.Sector.CIVIL_SOCIETY
    if social_enterprise and sector != Organisation.Sector.PUBLIC:
        return Organisation.Sector.SOCIAL_ECONOMY
    return sector


def default_legal_form(kind: str) -> LegalForm | None:
    code = {Organisation.Kind.INFORMAL: INFORMAL_LEGAL_FORM, Organisation.Kind.FOREIGN: FOREIGN_LEGAL_FORM}.get(kind)
    return LegalForm.objects.filter(code=code).first() if code else None


def _check_kind(organisation: Organisation) -> None:
    """What each kind of actor needs, with a Swedish message on the field that is wrong."""
    Kind = Organisation.Kind
    errors: dict[str, str] = {}
    organisation.country = (organisation.country or "").strip().upper()
    if organisation.kind == Kind.FOREIGN:
        if organisation.orgnr:
            errors["orgnr"] = _("En utländsk organisation har inget svenskt organisationsnummer.")
        if not organisation.country or organisation.country == "SE":
            errors["country"] = _("Välj det land där organisationen finns.")
    else:
        if organisation.country != "SE":
            errors["country"] = _("Bara en utländsk organisation kan ha ett annat land än Sverige.")
        if organisation.foreign_registration_number:
            errors["foreign_registration_number"] = _(
                "Bara en utländsk organisation har ett registreringsnummer i ett annat land."
            )
        if organisation.kind == Kind.INFORMAL and organisation.orgnr:
            errors["orgnr"] = _(
                "En grupp med organisationsnummer är en juridisk person: välj ”Svensk juridisk person” i stället."
            )
        sole_trader = organisation.legal_form_id and organisation.legal_form.code == SOLE_TRADER_LEGAL_FORM
        # A public body (a municipality, a state agency) may wait for its number to be checked
        # against a cited source (ADR 0115); every other Swedish legal person gives it at once.
        public_body = (
            organisation.legal_form_id and organisation.legal_form.default_sector == Organisation.Sector.PUBLIC
        )
        if organisation.kind == Kind.SWEDISH and not organisation.orgnr and not sole_trader and not public_body:
            errors["orgnr"] = _("Fyll i organisationsnumret.")
        if sole_trader and organisation.orgnr:
            errors["orgnr"] = _(
                "En enskild firmas nummer är ägarens personnummer, som Civsam inte sparar. Lämna fältet tomt."
            )
    if errors:
        raise ValidationError(errors)


def _apply(organisation: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    """Set the given values on the organisation; returns the many-to-many ones, set after saving."""
    m2m = {key: values.pop(key) for key in M2M_FIELDS if key in values}
    if "orgnr" in values:
        if values["orgnr"] in (None, ""):
            values["orgnr"] = None
        else:
            try:
                values["orgnr"] = normalise_orgnr(values["orgnr"])
            except OrgnrError as exc:
                raise ValidationError({"orgnr": str(exc)}) from exc
    for key, value in values.items():
        setattr(organisation, key, value)
    _check_kind(organisation)
    organisation.search_document = search_document_for(
        name=organisation.name, description=organisation.description, orgnr_value=organisation.orgnr or ""
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
    orgnr: str | None = None,
    legal_form: LegalForm | None = None,
    municipality: Municipality,
    kind: str = Organisation.Kind.SWEDISH,
    sector: str = "",
    country: str = "SE",
    foreign_registration_number: str = "",
    listing: str = Organisation.Listing.LISTED,
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
    registered_by=None,
) -> Organisation:
    """Register an organisation. An actor who may not set the verified flags gets them unset.

    Without a legal form, an informal group or a foreign organisation gets the one for its kind;
    without a sector, the legal form's default (default_sector). `listing` is set only by
    organisation_register (a new organisation waiting for a decision, ADR 0098)."""
    if legal_form is None:
        legal_form = default_legal_form(kind)
        if legal_form is None:
            raise ValidationError({"legal_form": _("Välj juridisk form.")})
    if not sector:
        sector = default_sector(legal_form, social_enterprise=social_enterprise)
    if sector not in Organisation.Sector.values:
        raise ValidationError({"sector": _("Välj en sektor.")})
    if listing not in Organisation.Listing.values:
        raise ValidationError({"listing": _("Okänd registrering.")})
    values: dict[str, Any] = {
        "name": name,
        "orgnr": orgnr,
        "kind": kind,
        "sector": sector,
        "country": country,
        "foreign_registration_number": foreign_registration_number.strip(),
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
    organisation = Organisation(listing=listing)
    m2m = _apply(organisation, {**values, **flags})
    _save_validated(organisation)
    for key, related in m2m.items():
        getattr(organisation, key).set(related)
    audit_log(
        actor=actor or registered_by,
        action=AuditEntry.Action.CREATE,
        obj=organisation,
        note="anmäld av den som vill företräda den" if registered_by is not None else "",
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
    orgnr: str | Unchanged | None = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    sector: str | Unchanged = UNCHANGED,
    country: str | Unchanged = UNCHANGED,
    foreign_registration_number: str | Unchanged = UNCHANGED,
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
        "kind": kind,
        "sector": sector,
        "country": country,
        "foreign_registration_number": foreign_registration_number,
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
    if "sector" in values and values["sector"] not in Organisation.Sector.values:
        raise ValidationError({"sector": _("Välj en sektor.")})
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
