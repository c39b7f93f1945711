"""An agreement's own record: create a draft, edit it, and the one service that moves its status.

Binding the agreement to its responsible party or to a municipality needs the right to act for that
body, both when it is set and when it is taken away (ADR 0131). Signing an IOP is refused until its
legal assessment is complete (ADR 0133); signing records any de minimis aid in the registry's
ledger, which refuses aid over the ceiling."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log, model_diff
from civsam.plan.models import PriorityArea
from civsam.registry.models import Organisation
from civsam.registry.services import de_minimis_aid_record

from .. import permissions
from ..models import Agreement, LegalAssessment, Party
from .assessment import assessment_gaps, gap_messages
from .common import check, editable, locked, user_or_none


def ledger_source(agreement: Agreement) -> str:
    return f"agreement:{agreement.pk}"


def _check_public(is_public: bool, reason: str) -> None:
    if not is_public and not reason.strip():
        raise ValidationError(
            {"non_public_reason": _("Skriv varför överenskommelsen inte ska visas i den öppna förteckningen.")}
        )


def _snapshot(agreement: Agreement) -> dict:
    data = {f: getattr(agreement, f) for f in SIMPLE_FIELDS}
    data["owner"] = str(agreement.owner) if agreement.owner_id else None
    data["municipality"] = str(agreement.municipality) if agreement.municipality_id else None
    if agreement.pk:
        data["priority_areas"] = sorted(pa.code for pa in agreement.priority_areas.select_related("focus_area"))
    return data


SIMPLE_FIELDS = (
    "title",
    "kind",
    "challenge",
    "problem_analysis",
    "starts_on",
    "ends_on",
    "notice_months",
    "renegotiation",
    "deciding_body",
    "case_number",
    "decided_on",
    "is_public",
    "non_public_reason",
)


def _default_role(organisation: Organisation) -> str:
    if organisation.sector == Organisation.Sector.PUBLIC:
        return Party.Role.PUBLIC
    if organisation.sector in (Organisation.Sector.CIVIL_SOCIETY, Organisation.Sector.SOCIAL_ECONOMY):
        return Party.Role.IDEBUREN
    return Party.Role.OTHER


@transaction.atomic
def agreement_create(
    *,
    actor,
    title: str,
    kind: str,
    owner: Organisation,
    challenge: str,
    starts_on: datetime.date,
    municipality: Municipality | None = None,
    problem_analysis: str = "",
    priority_areas: list[PriorityArea] | None = None,
    ends_on: datetime.date | None = None,
    notice_months: int = 3,
    renegotiation: str = "",
    deciding_body: str = "",
    case_number: str = "",
    decided_on: datetime.date | None = None,
    is_public: bool = True,
    non_public_reason: str = "",
    owner_role: str = "",
) -> Agreement:
    """A draft agreement run by `owner`, which becomes its first party."""
    if actor is not None:
        check(permissions.can_create_some_agreement(actor), _("Du får inte registrera överenskommelser."))
        check(
            permissions.can_name_agreement_owner(actor, owner),
            _("Du får bara registrera överenskommelser för en organisation du företräder."),
        )
        check(
            permissions.can_name_agreement_municipality(actor, municipality),
            _("Du får bara knyta överenskommelser till en kommun du företräder."),
        )
    _check_public(is_public, non_public_reason)
    agreement = Agreement(
        title=title.strip(),
        kind=kind,
        owner=owner,
        municipality=municipality,
        challenge=challenge.strip(),
        problem_analysis=problem_analysis.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        notice_months=notice_months,
        renegotiation=renegotiation.strip(),
        deciding_body=deciding_body.strip(),
        case_number=case_number.strip(),
        decided_on=decided_on,
        is_public=is_public,
        non_public_reason="" if is_public else non_public_reason.strip(),
        created_by=user_or_none(actor),
    )
    agreement.full_clean()
    agreement.save()
    if priority_areas:
        agreement.priority_areas.set(priority_areas)
    Party.objects.create(
        agreement=agreement,
        organisation=owner,
        role=owner_role or _default_role(owner),
        status=Party.Status.ACCEPTED,
        answered_on=timezone.localdate(),
    )
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=agreement, changes=model_diff({}, _snapshot(agreement)))
    return agreement


@dataclass(frozen=True)
class AgreementChanges:
    """What an edit changes; fields left as ... stay as they are."""

    title: str = ...  # type: ignore[assignment]
    kind: str = ...  # type: ignore[assignment]
    owner: Organisation = ...  # type: ignore[assignment]
    municipality: Municipality | None = ...  # type: ignore[assignment]
    challenge: str = ...  # type: ignore[assignment]
    problem_analysis: str = ...  # type: ignore[assignment]
    priority_areas: list = ...  # type: ignore[assignment]
    starts_on: datetime.date = ...  # type: ignore[assignment]
    ends_on: datetime.date | None = ...  # type: ignore[assignment]
    notice_months: int = ...  # type: ignore[assignment]
    renegotiation: str = ...  # type: ignore[assignment]
    deciding_body: str = ...  # type: ignore[assignment]
    case_number: str = ...  # type: ignore[assignment]
    decided_on: datetime.date | None = ...  # type: ignore[assignment]
    is_public: bool = ...  # type: ignore[assignment]
    non_public_reason: str = ...  # type: ignore[assignment]

    def given(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not ...}


# What may still change once the agreement is signed: its publicity, its decision and its term's end.
CHANGEABLE_WHEN_SIGNED = frozenset({"is_public", "non_public_reason", "ends_on", "renegotiation", "case_number"})


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, changes: AgreementChanges) -> Agreement:
    agreement = locked(agreement)
    if actor is not None:
        check(permissions.can_manage_agreement(actor, agreement))
    given = changes.given()
    if not agreement.is_editable and set(given) - CHANGEABLE_WHEN_SIGNED:
        editable(agreement)
    if agreement.status in (Agreement.Status.ENDED, Agreement.Status.TERMINATED):
        raise ValidationError(_("Överenskommelsen har upphört och kan inte ändras."))
    before = _snapshot(agreement)
    if actor is not None and "owner" in given and given["owner"] != agreement.owner:
        check(
            permissions.can_name_agreement_owner(actor, agreement.owner)
            and permissions.can_name_agreement_owner(actor, given["owner"]),
            _("Att byta ansvarig part kräver att du företräder både den nya och den förra."),
        )
    if actor is not None and "municipality" in given and given["municipality"] != agreement.municipality:
        check(
            permissions.can_name_agreement_municipality(actor, agreement.municipality)
            and permissions.can_name_agreement_municipality(actor, given["municipality"]),
            _("Att byta kommun kräver att du företräder både den nya och den förra."),
        )
    areas = given.pop("priority_areas", None)
    for key, value in given.items():
        setattr(agreement, key, value.strip() if isinstance(value, str) else value)
    if agreement.is_public:
        agreement.non_public_reason = ""
    _check_public(agreement.is_public, agreement.non_public_reason)
    agreement.full_clean()
    agreement.save()
    if "owner" in given:
        Party.objects.update_or_create(
            agreement=agreement,
            organisation=agreement.owner,
            defaults={"status": Party.Status.ACCEPTED, "answered_on": timezone.localdate()},
            create_defaults={
                "role": _default_role(agreement.owner),
                "status": Party.Status.ACCEPTED,
                "answered_on": timezone.localdate(),
            },
        )
    if areas is not None:
        agreement.priority_areas.set(areas)
    diff = model_diff(before, _snapshot(agreement))
    if diff:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=agreement, changes=diff)
    return agreement


def _check_parties_ready(agreement: Agreement) -> None:
    parties = list(agreement.parties.all())
    if any(p.status == Party.Status.INVITED for p in parties):
        raise ValidationError(_("Alla inbjudna parter måste ha svarat innan överenskommelsen undertecknas."))
    if sum(p.status == Party.Status.ACCEPTED for p in parties) < 2:
        raise ValidationError(_("En överenskommelse behöver minst två parter som har tackat ja."))


def _record_aid(actor, agreement: Agreement, assessment: LegalAssessment, on: datetime.date) -> None:
    recipient = assessment.aid_recipient
    assert recipient is not None and assessment.aid_amount_sek is not None and assessment.sek_per_eur is not None
    de_minimis_aid_record(
        actor=actor,
        organisation=recipient.organisation,
        source=ledger_source(agreement),
        granted_on=on,
        amount_sek=assessment.aid_amount_sek,
        sek_per_eur=assessment.sek_per_eur,
        rate_source=assessment.rate_source,
        grantor=agreement.owner.name,
        regime="sgei" if assessment.state_aid == LegalAssessment.StateAid.SGEI_DE_MINIMIS else "general",
        case_number=agreement.case_number,
        description=str(agreement)[:300],
    )


@transaction.atomic
def agreement_transition(
    *, actor, agreement: Agreement, action: str, on: datetime.date | None = None, reason: str = ""
) -> Agreement:
    """Take the workflow step named `action` (submit, return, sign, end, terminate)."""
    agreement = locked(agreement)
    before = agreement.status
    target = Agreement.WORKFLOW.target_of(before, action)
    if actor is not None:
        check(
            permissions.can_take_step(actor, agreement, action),
            _("Bara regionens eller kommunens handläggare för överenskommelsen kan underteckna den.")
            if action == "sign"
            else None,
        )
    day = on or timezone.localdate()
    changes: dict = {"status": [before, target]}
    if action == "sign":
        _check_parties_ready(agreement)
        assessment = LegalAssessment.objects.filter(agreement=agreement).select_related("aid_recipient").first()
        if agreement.kind == Agreement.Kind.IOP:
            gaps = assessment_gaps(agreement, assessment, on=day)
            if gaps:
                raise ValidationError(
                    [_("Ett IOP kan inte undertecknas förrän den rättsliga bedömningen är klar."), *gap_messages(gaps)]
                )
        if assessment is not None and assessment.is_de_minimis:
            _record_aid(actor, agreement, assessment, day)
        agreement.signed_on = day
        changes["signed_on"] = [None, day.isoformat()]
    elif action in ("end", "terminate"):
        if action == "terminate" and not reason.strip():
            raise ValidationError({"reason": _("Skriv varför överenskommelsen sägs upp.")})
        if day < (agreement.signed_on or day):
            raise ValidationError({"on": _("Överenskommelsen kan inte upphöra innan den undertecknades.")})
        agreement.ended_on = day
        agreement.end_reason = reason.strip()
        changes["ended_on"] = [None, day.isoformat()]
    agreement.status = target
    agreement.full_clean()
    agreement.save()
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=agreement, changes=changes, note=action)
    return agreement
