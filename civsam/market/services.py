"""Every write of the market app: keyword-only, atomic, with the audit log. Given a user (`actor`),
a service checks the user's right first; `actor=None` is the system (demo data, commands)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civsam.accounts.selectors import representatives_of
from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log, model_diff
from civsam.registry import search
from civsam.registry.models import Organisation

from . import layers, permissions, selectors, spendfile
from .models import (
    Buyer,
    CpvCode,
    Offer,
    OfferCategory,
    Procedure,
    Procurement,
    ProcurementAward,
    ProcurementLot,
    Reservation,
    SpendInvoice,
    SpendShare,
    SpendUpload,
)

DATA_DIR = Path(__file__).parent / "data"
KEEP_BATCH = 5000


# --- Reference data ------------------------------------------------------------------------------


def cpv_codes_load_reference() -> int:
    """Create or update the CPV codes from the shipped list; returns how many were created."""
    data = json.loads((DATA_DIR / "cpv_codes.json").read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for item in data["items"]:
            _code, was_created = CpvCode.objects.update_or_create(
                code=item["code"],
                defaults={
                    "check_digit": item["check_digit"],
                    "name_sv": item["name_sv"],
                    "name_en": item["name_en"],
                    "source": data["source"][:300],
                },
            )
            created += was_created
    return created


# --- Offers --------------------------------------------------------------------------------------


@dataclass
class OfferData:
    title: str
    kind: str
    category: str
    description: str
    municipalities: list[Municipality]
    cpv_codes: list[CpvCode] = field(default_factory=list)
    capacity: str = ""
    work_integration: bool = False
    is_published: bool = True


def _offer_document(offer: Offer, cpv_codes: Iterable[CpvCode]) -> str:
    with translation.override("sv"):
        category = str(OfferCategory(offer.category).label)
    return search.document(
        offer.title, offer.description, offer.organisation.name, category, *(c.name_sv for c in cpv_codes)
    )


def _offer_validate(data: OfferData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Skriv en rubrik.")]
    if data.kind not in Offer.Kind.values:
        errors["kind"] = [_("Välj vara, tjänst eller båda.")]
    if data.category not in OfferCategory.values:
        errors["category"] = [_("Välj en kategori.")]
    if not data.description.strip():
        errors["description"] = [_("Beskriv vad ni erbjuder.")]
    if not data.municipalities:
        errors["municipalities"] = [_("Välj minst en kommun där ni levererar.")]
    if errors:
        raise ValidationError(errors)


def _offer_snapshot(offer: Offer) -> dict[str, Any]:
    return {
        "title": offer.title,
        "kind": offer.kind,
        "category": offer.category,
        "description": offer.description,
        "capacity": offer.capacity,
        "work_integration": offer.work_integration,
        "is_published": offer.is_published,
    }


@transaction.atomic
def offer_create(*, actor, organisation: Organisation, data: OfferData) -> Offer:
    if actor is not None and not permissions.can_publish_offer_for(actor, organisation):
        raise PermissionDenied(_("Du kan bara publicera erbjudanden för en organisation som du företräder."))
    _offer_validate(data)
    offer = Offer(
        organisation=organisation,
        title=data.title.strip(),
        kind=data.kind,
        category=data.category,
        description=data.description.strip(),
        capacity=data.capacity.strip(),
        work_integration=data.work_integration,
        is_published=data.is_published,
        confirmed_on=timezone.localdate(),
    )
    offer.search_document = _offer_document(offer, data.cpv_codes)
    offer.save()
    offer.municipalities.set(data.municipalities)
    offer.cpv_codes.set(data.cpv_codes)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=offer, changes=model_diff({}, _offer_snapshot(offer)))
    return offer


@transaction.atomic
def offer_update(*, actor, offer: Offer, data: OfferData) -> Offer:
    if actor is not None and not permissions.can_edit_offer(actor, offer):
        raise PermissionDenied(_("Du får inte ändra det här erbjudandet."))
    _offer_validate(data)
    before = _offer_snapshot(offer)
    offer.title = data.title.strip()
    offer.kind = data.kind
    offer.category = data.category
    offer.description = data.description.strip()
    offer.capacity = data.capacity.strip()
    offer.work_integration = data.work_integration
    offer.is_published = data.is_published
    offer.confirmed_on = timezone.localdate()  # saving the listing says it is current
    offer.search_document = _offer_document(offer, data.cpv_codes)
    offer.save()
    offer.municipalities.set(data.municipalities)
    offer.cpv_codes.set(data.cpv_codes)
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=offer, changes=model_diff(before, _offer_snapshot(offer))
    )
    return offer


@transaction.atomic
def offer_confirm(*, actor, offer: Offer) -> Offer:
    """The organisation says the listing is still current (the yearly reminder asks for this)."""
    if actor is not None and not permissions.can_edit_offer(actor, offer):
        raise PermissionDenied(_("Du får inte ändra det här erbjudandet."))
    before = offer.confirmed_on
    offer.confirmed_on = timezone.localdate()
    offer.save(update_fields=["confirmed_on", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=offer,
        note="confirmed as current",
        changes={"confirmed_on": [str(before), str(offer.confirmed_on)]},
    )
    return offer


def _offer_recipients(organisation: Organisation) -> list[str]:
    """The organisation's own address and its representatives' (never shown to the sender)."""
    addresses = {organisation.email.lower()} if organisation.email else set()
    addresses |= {
        role.user.email.lower()
        for role in representatives_of(organisation.pk)
        if role.user.is_active and role.user.email
    }
    return sorted(addresses)


def _absolute(path: str) -> str:
    return settings.CIVSAM_BASE_URL.rstrip("/") + path


@transaction.atomic
def offer_message_send(
    *, actor, offer: Offer, sender_name: str, sender_email: str, sender_organisation: str, message: str
) -> int:
    """Send a buyer's message to the organisation behind the offer; returns how many got it. The
    sender's address is the reply-to; the organisation's addresses are never shown to the sender.
    The message itself is not stored (only that one was sent, in the audit log)."""
    if not permissions.can_contact_offer(actor, offer):
        raise PermissionDenied(_("Det här erbjudandet går inte att kontakta."))
    errors: dict[str, list[str]] = {}
    if not sender_name.strip():
        errors["sender_name"] = [_("Skriv ditt namn.")]
    if not sender_email.strip() or "@" not in sender_email:
        errors["sender_email"] = [_("Skriv en e-postadress som organisationen kan svara till.")]
    if not message.strip():
        errors["message"] = [_("Skriv ett meddelande.")]
    if errors:
        raise ValidationError(errors)
    to = _offer_recipients(offer.organisation)
    if not to:
        raise ValidationError(_("Organisationen har ingen adress för meddelanden ännu. Försök igen senare."))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Förfrågan om ”%(title)s” via Civsam") % {"title": offer.title}
        body = "\n".join(
            [
                _("%(name)s (%(organisation)s) skriver om ert erbjudande ”%(title)s”:")
                % {
                    "name": sender_name.strip(),
                    "organisation": sender_organisation.strip() or "–",
                    "title": offer.title,
                },
                "",
                message.strip(),
                "",
                _("Svara direkt på det här meddelandet för att svara avsändaren."),
                _absolute(offer.get_absolute_url()),
            ]
        )
    messages = [
        EmailMessage(subject=subject, body=body, to=[address], reply_to=[sender_email.strip()]) for address in to
    ]
    transaction.on_commit(lambda: get_connection().send_messages(messages))
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=offer, note=f"contact message to {len(to)} recipients")
    return len(to)


def offer_reminders_send(*, today: datetime.date | None = None) -> int:
    """The yearly reminder: to each organisation whose published offer was not confirmed for a year."""
    today = today or timezone.localdate()
    sent = 0
    for offer in selectors.offers_due_for_reminder(today=today):
        to = _offer_recipients(offer.organisation)
        with transaction.atomic():
            if to:
                with translation.override(settings.LANGUAGE_CODE):
                    subject = _("Är ert erbjudande i Civsam fortfarande aktuellt?")
                    body = "\n".join(
                        [
                            _("Erbjudandet ”%(title)s” bekräftades senast %(date)s.")
                            % {"title": offer.title, "date": offer.confirmed_on.isoformat()},
                            _("Öppna det, se över uppgifterna och spara eller bekräfta att det stämmer:"),
                            _absolute(offer.get_absolute_url()),
                        ]
                    )
                messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in to]
                transaction.on_commit(lambda messages=messages: get_connection().send_messages(messages))
                sent += 1
            offer.reminded_on = today
            offer.save(update_fields=["reminded_on"])
            audit_log(
                actor=None, action=AuditEntry.Action.UPDATE, obj=offer, note=f"yearly reminder to {len(to)} recipients"
            )
    return sent


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


# --- Spend files ---------------------------------------------------------------------------------------


@dataclass
class SpendImportResult:
    upload: SpendUpload | None
    errors: list[str]
    error_count: int = 0
    rows: int = 0


def _buyer_names(buyer: Buyer) -> list[str]:
    if buyer.municipality_id:
        m = buyer.municipality
        return [m.code, m.name, m.official_name, m.body_name]
    organisation = buyer.organisation
    return [organisation.orgnr or "", organisation.name]


def spend_sums_store(
    *,
    actor,
    buyer: Buyer,
    sums: spendfile.SpendSums,
    file_name: str,
    keep_rows: bool,
    upload: SpendUpload | None = None,
    is_demo: bool = False,
) -> SpendUpload:
    """Compute the layers from the sums and store them, replacing the buyer's figures for the
    years the file covers. Called inside the import's transaction."""
    years = sums.years
    facts = selectors.supplier_facts(supplier for _year, supplier in sums.sums)
    computed = layers.layer_sums(
        sums.sums,
        facts,
        reserved=selectors.reserved_suppliers(buyer, years),
        iop=selectors.iop_suppliers(buyer, years),
    )
    upload = upload or SpendUpload(buyer=buyer)
    upload.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    upload.file_name = file_name[:255]
    upload.row_count = sums.rows
    upload.first_year, upload.last_year = years[0], years[-1]
    upload.keep_rows = keep_rows
    upload.is_demo = is_demo
    upload.save()
    SpendShare.objects.filter(buyer=buyer, year__in=years).delete()
    SpendShare.objects.bulk_create(
        [
            SpendShare(
                buyer=buyer,
                upload=upload,
                year=item.year,
                layer=item.layer,
                amount=Decimal(item.ore) / 100,
                supplier_count=item.suppliers,
                invoice_count=item.invoices,
            )
            for item in computed
        ]
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=upload,
        changes={"rows": [None, sums.rows], "years": [None, f"{years[0]}–{years[-1]}"], "keep_rows": [None, keep_rows]},
    )
    return upload


def spend_file_import(
    *, actor, buyer: Buyer, file: IO[bytes], file_name: str, keep_rows: bool = False
) -> SpendImportResult:
    """Read a spend file as a stream, and, if every row is good, store the layers per year (and the
    invoice rows, written in batches as they are read, if the buyer chose to keep them). Any bad
    row: nothing is written, and the rows' errors are returned in Swedish."""
    if actor is not None and not permissions.can_upload_spend_for(actor, buyer):
        raise PermissionDenied(_("Du kan bara ladda upp inköpsfiler för en köpare som du företräder."))
    try:
        with transaction.atomic():
            upload = None
            keep = None
            if keep_rows:
                upload = SpendUpload.objects.create(
                    buyer=buyer, file_name=file_name[:255], row_count=0, first_year=0, last_year=0, keep_rows=True
                )
                pending: list[SpendInvoice] = []

                def keep(supplier: str, ore: int, date: datetime.date) -> None:
                    # A sole trader's row is kept without its number: a personnummer is never stored.
                    pending.append(
                        SpendInvoice(upload=upload, supplier_orgnr=supplier, amount=Decimal(ore) / 100, date=date)
                    )
                    if len(pending) >= KEEP_BATCH:
                        SpendInvoice.objects.bulk_create(pending)
                        pending.clear()

            sums = spendfile.sum_rows(spendfile.read_rows(file, file_name), buyer_names=_buyer_names(buyer), keep=keep)
            if sums.error_count:
                transaction.set_rollback(True)
                return SpendImportResult(upload=None, errors=sums.errors, error_count=sums.error_count, rows=sums.rows)
            if keep_rows and pending:
                SpendInvoice.objects.bulk_create(pending)
            upload = spend_sums_store(
                actor=actor, buyer=buyer, sums=sums, file_name=file_name, keep_rows=keep_rows, upload=upload
            )
            return SpendImportResult(upload=upload, errors=[], rows=sums.rows)
    except spendfile.SpendFileError as exc:
        return SpendImportResult(upload=None, errors=[str(exc)], error_count=1)
