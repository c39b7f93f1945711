"""Writes of the county's procurement records: buyers, procurements with lots and awards."""


import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log, model_diff
from civsam.registry.models import Organisation

from .. import permissions
from ..models import (
    Buyer,
    CpvCode,
    Procedure,
    Procurement,
    ProcurementAward,
    ProcurementLot,
    Reservation,
)

DATA_DIR = Path(__file__).parent.parent / "data"
KEEP_BATCH = 5000



# --- Buyers and procurement ------------------------------------------------------------------------


def buyer_get_or_create(*, municipality: Municipality | None = None, organisation: Organisation | None = None) -> Buyer:
    """The buyer row of a municipality or a public organisation, made the first time it is named."""
    if (municipality is None) == (organisation is None):
        raise ValueError("give a municipality or an organisation")
    if organisation is not None and organisation.sector != Organisation.Sector.PUBLIC:
        raise ValidationError({"buyer": [_("Köparen ska vara en offentlig organisation.")]})
    buyer, _created = Buyer.objects.get_or_create(municipality=municipality, organisation=organisation)
    return buyer


@dataclass
class LotData:
    number: int
    title: str
    estimated_value: Decimal | None = None
    reserved: bool = False


@dataclass
class AwardData:
    supplier_name: str
    supplier_orgnr: str = ""
    value: Decimal | None = None
    lot_number: int | None = None


@dataclass
class ProcurementData:
    title: str
    procedure: str
    status: str = Procurement.Status.PLANNED
    reference: str = ""
    description: str = ""
    cpv_codes: list[CpvCode] = field(default_factory=list)
    estimated_value: Decimal | None = None
    awarded_value: Decimal | None = None
    published_on: datetime.date | None = None
    tender_deadline: datetime.date | None = None
    awarded_on: datetime.date | None = None
    contract_start: datetime.date | None = None
    contract_end: datetime.date | None = None
    reservation: str = ""
    employment_requirement: bool = False
    employment_requirement_text: str = ""
    employment_positions: int | None = None
    social_award_criteria: bool = False
    social_award_criteria_text: str = ""
    lots: list[LotData] = field(default_factory=list)
    awards: list[AwardData] = field(default_factory=list)


SCALAR_FIELDS = (
    "title",
    "procedure",
    "status",
    "reference",
    "description",
    "estimated_value",
    "awarded_value",
    "published_on",
    "tender_deadline",
    "awarded_on",
    "contract_start",
    "contract_end",
    "reservation",
    "employment_requirement",
    "employment_requirement_text",
    "employment_positions",
    "social_award_criteria",
    "social_award_criteria_text",
)


def _procurement_validate(data: ProcurementData) -> None:
    from civsam.registry import orgnr as orgnr_rules

    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Skriv en rubrik.")]
    if data.procedure not in Procedure.values:
        errors["procedure"] = [_("Välj ett förfarande.")]
    if data.status not in Procurement.Status.values:
        errors["status"] = [_("Välj en status.")]
    if data.reservation not in Reservation.values:
        errors["reservation"] = [_("Välj en paragraf för reserverat deltagande, eller ingen.")]
    for name in ("estimated_value", "awarded_value"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = [_("Beloppet kan inte vara negativt.")]
    if data.contract_start and data.contract_end and data.contract_end < data.contract_start:
        errors["contract_end"] = [_("Avtalet kan inte sluta innan det börjar.")]
    if data.published_on and data.tender_deadline and data.tender_deadline < data.published_on:
        errors["tender_deadline"] = [_("Sista anbudsdag kan inte vara före annonseringen.")]
    if data.employment_requirement and not data.employment_requirement_text.strip():
        errors["employment_requirement_text"] = [_("Beskriv anställningskravet.")]
    if data.social_award_criteria and not data.social_award_criteria_text.strip():
        errors["social_award_criteria_text"] = [_("Beskriv de sociala tilldelningskriterierna.")]
    if data.status == Procurement.Status.AWARDED and not data.awards:
        errors["awards"] = [_("En tilldelad upphandling behöver minst en leverantör.")]
    numbers = [lot.number for lot in data.lots]
    if len(numbers) != len(set(numbers)):
        errors["lots"] = [_("Två delområden har samma nummer.")]
    elif any(not lot.title.strip() for lot in data.lots):
        errors["lots"] = [_("Varje delområde behöver en rubrik.")]
    award_errors = []
    for award in data.awards:
        if not award.supplier_name.strip():
            award_errors.append(_("Varje leverantör behöver ett namn."))
        if award.supplier_orgnr:
            try:
                award.supplier_orgnr = orgnr_rules.normalise(award.supplier_orgnr)
            except orgnr_rules.OrgnrError as exc:
                award_errors.append(str(exc))
        if award.lot_number is not None and award.lot_number not in numbers:
            award_errors.append(
                _("Leverantören är tilldelad ett delområde som inte finns (%(n)s).") % {"n": award.lot_number}
            )
    if award_errors:
        errors["awards"] = award_errors
    if errors:
        raise ValidationError(errors)


def _procurement_snapshot(procurement: Procurement) -> dict[str, Any]:
    return {name: getattr(procurement, name) for name in SCALAR_FIELDS}


def _write_parts(procurement: Procurement, data: ProcurementData) -> None:
    procurement.cpv_codes.set(data.cpv_codes)
    procurement.awards.all().delete()
    procurement.lots.all().delete()
    lots = {
        lot.number: ProcurementLot.objects.create(
            procurement=procurement,
            number=lot.number,
            title=lot.title.strip(),
            estimated_value=lot.estimated_value,
            reserved=lot.reserved,
        )
        for lot in data.lots
    }
    for award in data.awards:
        ProcurementAward.objects.create(
            procurement=procurement,
            lot=lots.get(award.lot_number) if award.lot_number is not None else None,
            supplier_name=award.supplier_name.strip(),
            supplier_orgnr=award.supplier_orgnr,
            value=award.value,
        )


@transaction.atomic
def procurement_create(*, actor, buyer: Buyer, data: ProcurementData, is_demo: bool = False) -> Procurement:
    if actor is not None and not permissions.can_record_procurement_for(actor, buyer):
        raise PermissionDenied(_("Du kan bara registrera upphandlingar för en köpare som du företräder."))
    _procurement_validate(data)
    procurement = Procurement(buyer=buyer, is_demo=is_demo)
    for name in SCALAR_FIELDS:
        setattr(procurement, name, getattr(data, name))
    procurement.title = data.title.strip()
    procurement.save()
    _write_parts(procurement, data)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=procurement,
        changes=model_diff({}, _procurement_snapshot(procurement)),
    )
    return procurement


@transaction.atomic
def procurement_update(*, actor, procurement: Procurement, data: ProcurementData) -> Procurement:
    if actor is not None and not permissions.can_edit_procurement(actor, procurement):
        raise PermissionDenied(_("Du får inte ändra den här upphandlingen."))
    _procurement_validate(data)
    before = _procurement_snapshot(procurement)
    for name in SCALAR_FIELDS:
        setattr(procurement, name, getattr(data, name))
    procurement.title = data.title.strip()
    procurement.save()
    _write_parts(procurement, data)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=procurement,
        changes=model_diff(before, _procurement_snapshot(procurement)),
    )
    return procurement
