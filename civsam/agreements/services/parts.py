"""The agreement's parts: goals, contributions per party and year, governance groups and their
members, yearly follow-up reports and documents. Each write checks the right, validates and logs."""

from __future__ import annotations

from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core import filetypes
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.plan.models import PriorityArea

from .. import contributions, permissions
from ..models import (
    Agreement,
    AgreementDocument,
    AgreementGoal,
    Contribution,
    FollowUpReport,
    GovernanceGroup,
    GovernanceMember,
    Party,
)
from .common import check, editable, locked, user_or_none

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
MAX_DOCUMENTS = 30


def _not_ended(agreement: Agreement) -> None:
    if agreement.status in (Agreement.Status.ENDED, Agreement.Status.TERMINATED):
        raise ValidationError(_("Överenskommelsen har upphört och kan inte ändras."))


@transaction.atomic
def goal_add(
    *,
    actor,
    agreement: Agreement,
    goal: str,
    indicator: str = "",
    target: str = "",
    priority_area: PriorityArea | None = None,
) -> AgreementGoal:
    agreement = locked(agreement)
    if actor is not None:
        check(permissions.can_manage_agreement(actor, agreement))
    editable(agreement)
    row = AgreementGoal(
        agreement=agreement,
        goal=goal.strip(),
        indicator=indicator.strip(),
        target=target.strip(),
        priority_area=priority_area,
    )
    row.full_clean()
    row.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=row, changes={"goal": [None, row.goal]})
    return row


@transaction.atomic
def contribution_add(
    *,
    actor,
    party: Party,
    year: int,
    kind: str,
    quantity: Decimal,
    rate: Decimal | None = None,
    rate_source: str = "",
    description: str = "",
) -> Contribution:
    """A party's contribution for a year, valued in kronor (hours at the stated rate)."""
    party = Party.objects.select_related("agreement__owner", "organisation").get(pk=party.pk)
    agreement = locked(party.agreement)
    if actor is not None:
        check(
            permissions.can_manage_agreement(actor, agreement) and permissions.can_record_for_party(actor, party),
            _("Bara den som företräder %(org)s eller den ansvariga parten kan ange partens bidrag.")
            % {"org": party.organisation.name},
        )
    _not_ended(agreement)
    if party.status != Party.Status.ACCEPTED:
        raise ValidationError({"party": _("Bara parter som har tackat ja kan ange bidrag.")})
    if kind in contributions.IN_KRONOR:
        rate, rate_source = None, ""
    try:
        value = contributions.value_sek(kind, Decimal(quantity), None if rate is None else Decimal(rate))
    except contributions.ContributionError as exc:
        messages = {
            "kind": _("Välj slag av bidrag."),
            "quantity": _("Mängden kan inte vara negativ."),
            "rate": _("Timmar behöver ett timvärde i kronor större än noll."),
        }
        raise ValidationError({exc.field: messages[exc.field]}) from exc
    if kind == contributions.VOLUNTEER_HOURS and not rate_source.strip():
        raise ValidationError({"rate_source": _("Ange varifrån timvärdet för ideellt arbete kommer.")})
    row = Contribution(
        party=party,
        year=year,
        kind=kind,
        quantity=quantity,
        rate=rate,
        rate_source=rate_source.strip(),
        value_sek=value,
        description=description.strip(),
    )
    row.full_clean()
    row.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=row,
        changes={"year": [None, year], "kind": [None, kind], "value_sek": [None, str(value)]},
        note=f"agreement {agreement.pk}",
    )
    return row


@transaction.atomic
def contribution_delete(*, actor, contribution: Contribution) -> None:
    contribution = Contribution.objects.select_related("party__agreement__owner", "party__organisation").get(
        pk=contribution.pk
    )
    agreement = locked(contribution.party.agreement)
    if actor is not None:
        check(
            permissions.can_manage_agreement(actor, agreement)
            and permissions.can_record_for_party(actor, contribution.party)
        )
    _not_ended(agreement)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=contribution,
        changes={"value_sek": [str(contribution.value_sek), None]},
    )
    contribution.delete()


@transaction.atomic
def group_add(*, actor, agreement: Agreement, kind: str, name: str, mandate: str = "") -> GovernanceGroup:
    agreement = locked(agreement)
    if actor is not None:
        check(permissions.can_manage_agreement(actor, agreement))
    _not_ended(agreement)
    group = GovernanceGroup(agreement=agreement, kind=kind, name=name.strip(), mandate=mandate.strip())
    group.full_clean()
    group.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=group, changes={"name": [None, group.name]})
    return group


@transaction.atomic
def group_member_add(*, actor, group: GovernanceGroup, party: Party, name: str, position: str = "") -> GovernanceMember:
    """Name a person in a group for a party: the right to act for that party (or to run the
    agreement as its owner), since the person speaks for the party there."""
    group = GovernanceGroup.objects.select_related("agreement").get(pk=group.pk)
    agreement = locked(group.agreement)
    party = Party.objects.select_related("agreement__owner", "organisation").get(pk=party.pk)
    if party.agreement_id != agreement.pk:
        raise ValidationError({"party": _("Välj en av överenskommelsens parter.")})
    if actor is not None:
        check(
            permissions.can_manage_agreement(actor, agreement) and permissions.can_record_for_party(actor, party),
            _("Bara den som företräder %(org)s eller den ansvariga parten kan utse partens ledamöter.")
            % {"org": party.organisation.name},
        )
    _not_ended(agreement)
    member = GovernanceMember(group=group, party=party, name=name.strip(), position=position.strip())
    member.full_clean()
    member.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=member, changes={"group": [None, group.name]})
    return member


@transaction.atomic
def report_save(
    *,
    actor,
    agreement: Agreement,
    year: int,
    activities: str,
    results: str = "",
    changes: str = "",
    participants: int | None = None,
) -> FollowUpReport:
    """The year's follow-up report, written or rewritten by the agreement's people once it is signed."""
    agreement = locked(agreement)
    if actor is not None:
        check(permissions.can_report_on_agreement(actor, agreement), _("Du får inte följa upp överenskommelsen."))
    if not agreement.is_signed:
        raise ValidationError(_("En överenskommelse följs upp när den är undertecknad."))
    last = agreement.ended_on or agreement.ends_on
    if year < agreement.starts_on.year or (last is not None and year > last.year):
        raise ValidationError({"year": _("Året ligger utanför överenskommelsens giltighetstid.")})
    report, created = FollowUpReport.objects.get_or_create(
        agreement=agreement, year=year, defaults={"activities": activities.strip()}
    )
    before = {"activities": report.activities, "results": report.results, "changes": report.changes}
    report.activities = activities.strip()
    report.results = results.strip()
    report.changes = changes.strip()
    report.participants = participants
    report.submitted_by = user_or_none(actor)
    report.full_clean()
    report.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=report,
        changes={"year": [None, year]}
        if created
        else {k: [v, getattr(report, k)] for k, v in before.items() if v != getattr(report, k)},
    )
    return report


@transaction.atomic
def document_add(
    *, actor, agreement: Agreement, title: str, name: str, stream: BinaryIO, size: int
) -> AgreementDocument:
    """Attach a document, checked by its content (core.filetypes), stored under a generated name."""
    agreement = locked(agreement)
    if actor is not None:
        check(permissions.can_manage_agreement(actor, agreement))
    _not_ended(agreement)
    if agreement.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(_("Överenskommelsen har redan %(max)s dokument.") % {"max": MAX_DOCUMENTS})
    try:
        accepted = filetypes.check(
            name,
            stream,
            size=size,
            max_bytes=getattr(settings, "CIVSAM_AGREEMENT_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES),
            published=True,  # a public agreement's documents are downloaded from its public page
        )
    except filetypes.FileRejected as exc:
        raise ValidationError({"file": str(exc)}) from exc
    document = AgreementDocument(
        agreement=agreement,
        title=(title.strip() or name)[:200],
        original_name=name.replace("/", "_").replace("\\", "_")[-255:],
        extension=accepted.extension,
        content_type=accepted.content_type,
        size=size,
        uploaded_by=user_or_none(actor),
    )
    stream.seek(0)
    document.file.save(f"upload.{accepted.extension}", File(stream), save=False)
    document.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=document,
        changes={"file": [None, document.original_name], "size": [None, size]},
        note=f"agreement {agreement.pk}",
    )
    return document
