"""Writes of the market's offers: the CPV reference list, offers, their messages and yearly reminders."""


import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

from .. import permissions, selectors
from ..models import (
    CpvCode,
    Offer,
    OfferCategory,
)

DATA_DIR = Path(__file__).parent.parent / "data"
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
