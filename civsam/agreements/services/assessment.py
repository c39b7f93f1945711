"""The legal assessment before signing an IOP (ADR 0133): saved by staff who run the agreement;
its gaps are the pure checklist's (assessment.py) plus the de minimis ledger's verdict."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff
from civsam.registry.deminimis_selectors import de_minimis_verdict

from .. import assessment as checklist
from .. import permissions
from ..models import Agreement, LegalAssessment, Party
from .common import check, editable, locked, user_or_none

FIELDS = ("procurement", "state_aid", "general_interest", "memo", "aid_amount_sek", "sek_per_eur", "rate_source")


def _messages() -> dict[str, str]:
    return {
        checklist.PROCUREMENT_MISSING: _(
            "Upphandling: ange om överenskommelsen är ett partnerskap eller ett offentligt kontrakt."
        ),
        checklist.PROCUREMENT_BLOCKS: _(
            "Upphandling: ett offentligt kontrakt ska upphandlas enligt LOU och kan inte ingås som IOP."
        ),
        checklist.STATE_AID_MISSING: _("Statsstöd: ange bedömningen."),
        checklist.AID_DETAILS_MISSING: _(
            "Statsstöd: ange stödmottagare, stödbelopp och växelkurs för stöd av mindre betydelse."
        ),
        checklist.CEILING_EXCEEDED: _(
            "Statsstöd: stödmottagaren skulle passera taket för stöd av mindre betydelse under tre år."
        ),
        checklist.GENERAL_INTEREST_MISSING: _("Kommunallagen: bekräfta att insatsen är av allmänt intresse."),
        checklist.MEMO_MISSING: _("Skriv promemorian med skälen för bedömningen."),
    }


def gap_messages(gaps: list[str]) -> list[str]:
    messages = _messages()
    return [messages[g] for g in gaps]


def ceiling_verdict(agreement: Agreement, assessment: LegalAssessment, *, on: datetime.date):
    """The ledger's verdict on the assessment's de minimis aid, or None when there is nothing to ask."""
    if not assessment.is_de_minimis or assessment.aid_recipient is None:
        return None
    if not assessment.aid_amount_sek or not assessment.sek_per_eur or assessment.sek_per_eur <= 0:
        return None
    return de_minimis_verdict(
        assessment.aid_recipient.organisation,
        granted_on=on,
        amount_sek=assessment.aid_amount_sek,
        sek_per_eur=assessment.sek_per_eur,
        regime="sgei" if assessment.state_aid == LegalAssessment.StateAid.SGEI_DE_MINIMIS else "general",
        exclude_source=f"agreement:{agreement.pk}",
    )


def assessment_gaps(agreement: Agreement, assessment: LegalAssessment | None, *, on: datetime.date | None = None):
    """What stands between the assessment and signing (codes from assessment.py)."""
    if assessment is None:
        return [
            checklist.PROCUREMENT_MISSING,
            checklist.STATE_AID_MISSING,
            checklist.GENERAL_INTEREST_MISSING,
            checklist.MEMO_MISSING,
        ]
    verdict = ceiling_verdict(agreement, assessment, on=on or timezone.localdate())
    return checklist.missing(assessment.checklist(within_ceiling=None if verdict is None else verdict.within))


def _snapshot(a: LegalAssessment) -> dict:
    data = {f: getattr(a, f) for f in FIELDS}
    data["aid_recipient"] = str(a.aid_recipient.organisation) if a.aid_recipient_id else None
    return data


@transaction.atomic
def assessment_save(
    *,
    actor,
    agreement: Agreement,
    procurement: str,
    state_aid: str,
    general_interest: bool,
    memo: str,
    aid_recipient: Party | None = None,
    aid_amount_sek: Decimal | None = None,
    sek_per_eur: Decimal | None = None,
    rate_source: str = "",
) -> LegalAssessment:
    """Save the checklist and memo; an incomplete assessment may be saved and finished later."""
    agreement = locked(agreement)
    if actor is not None:
        check(
            permissions.can_assess_agreement(actor, agreement),
            _("Den rättsliga bedömningen görs av regionens eller kommunens handläggare."),
        )
    editable(agreement)
    if aid_recipient is not None and aid_recipient.agreement_id != agreement.pk:
        raise ValidationError({"aid_recipient": _("Stödmottagaren måste vara part i överenskommelsen.")})
    assessment, created = LegalAssessment.objects.get_or_create(agreement=agreement)
    before = {} if created else _snapshot(assessment)
    de_minimis = state_aid in checklist.DE_MINIMIS_KINDS
    assessment.procurement = procurement
    assessment.state_aid = state_aid
    assessment.general_interest = general_interest
    assessment.memo = memo.strip()
    assessment.aid_recipient = aid_recipient if de_minimis else None
    assessment.aid_amount_sek = aid_amount_sek if de_minimis else None
    assessment.sek_per_eur = sek_per_eur if de_minimis else None
    assessment.rate_source = rate_source.strip() if de_minimis else ""
    assessment.assessed_by = user_or_none(actor)
    assessment.full_clean(exclude=["agreement"])
    assessment.save()
    diff = model_diff(before, _snapshot(assessment))
    if diff:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=agreement, changes=diff, note="legal assessment")
    return assessment
